package com.luka02.heartbeat.ops;

import com.luka02.heartbeat.report.Gaps;
import com.luka02.heartbeat.report.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the status page draws: one lane for the overall status and one per check, a cell per report,
 * and the gaps where reports were due and none came. Built by a pure function of the reports.
 */
public record Timeline(Instant from, Instant to, long cadenceSeconds, long gapAfterSeconds, List<Lane> lanes,
    List<Point> reports, List<Gap> gaps, Double coveragePercent) {
  static final String OVERALL = "Overall";
  /** What the page draws for a check without a status marker we know; never stored. */
  static final String UNKNOWN = "unknown";

  /**
   * A lane; {@code section} and {@code label} are null for the overall status. {@code uptimePercent}
   * is the share of the window's reports in which it was ok, skipped ones left out; null without any.
   */
  public record Lane(String name, String section, String label, Double uptimePercent) {}

  /**
   * One report: its overall status, its duration (null when not stated) and each check's status by lane
   * name, as the page spells it ({@link Status#wire()}, or {@link #UNKNOWN}).
   */
  public record Point(Instant at, String file, Status status, Integer durationMs, Map<String, String> checks) {}

  /** A stretch with no report although one was due. */
  public record Gap(Instant from, Instant to, long seconds) {}

  /** One check of one report, as stored in the {@code checks} column. */
  public record Check(String section, String label, Status status) {}

  /** A report as read from the store. */
  public record Report(Instant at, String file, Status status, List<Check> checks, Integer durationMs) {
    Report(Instant at, String file, Status status, List<Check> checks) {
      this(at, file, status, checks, null);
    }
  }

  /**
   * Lays out {@code reports} (ordered by time) between {@code from} and {@code to}. A gap is as
   * {@link Gaps} says, as the daily summaries count them; it is drawn from when the next report was due.
   */
  public static Timeline of(List<Report> reports, Instant from, Instant to, Duration cadence) {
    Map<String, Set<String>> labels = new LinkedHashMap<>();
    for (Report r : reports) {
      for (Check c : r.checks()) {
        labels.computeIfAbsent(c.section(), s -> new LinkedHashSet<>()).add(c.label());
      }
    }
    List<Lane> named = new ArrayList<>();
    named.add(new Lane(OVERALL, null, null, null));
    // A section with one bullet is one lane named after it; LaunchAgents gets a lane per agent.
    labels.forEach((section, ls) -> ls.forEach(label ->
        named.add(new Lane(ls.size() == 1 ? section : section + " / " + label, section, label, null))));

    List<Point> points = new ArrayList<>(reports.size());
    for (Report r : reports) {
      Map<String, String> cells = new LinkedHashMap<>();
      for (Check c : r.checks()) {
        String name = labels.get(c.section()).size() == 1 ? c.section() : c.section() + " / " + c.label();
        cells.putIfAbsent(name, c.status() == null ? UNKNOWN : c.status().wire());
      }
      points.add(new Point(r.at(), r.file(), r.status(), r.durationMs(), cells));
    }
    List<Lane> lanes = named.stream().map(l -> new Lane(l.name(), l.section(), l.label(), uptime(l, points))).toList();
    List<Gap> gaps = gaps(reports, from, to, cadence);
    long span = Duration.between(from, to).toSeconds();
    long silent = gaps.stream().mapToLong(Gap::seconds).sum();
    Double coverage = span <= 0 ? null : round(100.0 * (span - silent) / span);
    return new Timeline(from, to, cadence.toSeconds(), Gaps.tolerance(cadence).toSeconds(), lanes,
        List.copyOf(points), gaps, coverage);
  }

  private static Double uptime(Lane lane, List<Point> points) {
    long ok = 0;
    long judged = 0;
    for (Point p : points) {
      String status = lane.section() == null ? Status.wireOrNull(p.status()) : p.checks().get(lane.name());
      if (status == null || Status.SKIPPED.wire().equals(status)) {
        continue;
      }
      judged++;
      ok += Status.OK.wire().equals(status) ? 1 : 0;
    }
    return judged == 0 ? null : round(100.0 * ok / judged);
  }

  private static double round(double percent) {
    return Math.round(percent * 10) / 10.0;
  }

  private static List<Gap> gaps(List<Report> reports, Instant from, Instant to, Duration cadence) {
    List<Gap> gaps = new ArrayList<>();
    Instant previous = null;
    for (Report r : reports) {
      Instant start = previous == null ? from : previous;
      if (Gaps.isGap(Duration.between(start, r.at()), cadence)) {
        gaps.add(gap(previous == null ? from : previous.plus(cadence), r.at()));
      }
      previous = r.at();
    }
    Instant start = previous == null ? from : previous;
    if (Gaps.isGap(Duration.between(start, to), cadence)) {
      gaps.add(gap(previous == null ? from : previous.plus(cadence), to));
    }
    return gaps;
  }

  private static Gap gap(Instant from, Instant to) {
    return new Gap(from, to, Duration.between(from, to).toSeconds());
  }
}
