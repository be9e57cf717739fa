package com.luka02.heartbeat.ops;

import com.luka02.heartbeat.report.Status;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides when to raise and clear alerts: a pure function of the reports seen and the times it is
 * told, so that a test moves a clock instead of sleeping. Not thread-safe: the writer thread owns it.
 *
 * <p>Silence is measured from the newer of the last report and the agent's start, so a restart gives
 * the monitor a full threshold to be heard. It must be seen by two checks in a row: a Mac waking from
 * sleep runs one check before the monitor's missed run has landed, and that alone must not page anyone.
 */
final class Alerts {
  enum Kind { SILENCE, CRITICAL }

  /** One alert raised, or one cleared. */
  record Event(Kind kind, boolean raised, Instant at, String message) {}

  /** What the status page shows: each alert open or not, and since when. */
  record State(boolean silenceOpen, Instant silentSince, Instant criticalSince) {}

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm xxx");
  private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx");

  private final Duration cadence;
  private final Duration threshold;
  private final boolean onCritical;
  private final Instant started;
  private final ZoneId zone;
  private Instant lastReport;
  private boolean silenceSuspected;
  private boolean silenceOpen;
  private Instant criticalSince;

  /**
   * @param lastReport the newest report already staged, or null
   * @param silenceMultiple silence longer than this many cadences raises an alert
   */
  Alerts(Duration cadence, double silenceMultiple, boolean onCritical, Instant started, Instant lastReport) {
    this(cadence, silenceMultiple, onCritical, started, lastReport, ZoneOffset.UTC);
  }

  /** As above, with times in messages given in {@code zone}, as the people paged read their clocks. */
  Alerts(Duration cadence, double silenceMultiple, boolean onCritical, Instant started, Instant lastReport, ZoneId zone) {
    if (!(silenceMultiple >= 1)) {
      throw new IllegalArgumentException("silenceMultiple must be at least 1: " + silenceMultiple);
    }
    this.cadence = cadence;
    this.threshold = Duration.ofMillis(Math.round(cadence.toMillis() * silenceMultiple));
    this.onCritical = onCritical;
    this.started = started;
    this.lastReport = lastReport;
    this.zone = zone;
  }

  State state() {
    return new State(silenceOpen, silenceOpen ? since() : null, criticalSince);
  }

  boolean silenceOpen() {
    return silenceOpen;
  }

  boolean criticalOpen() {
    return criticalSince != null;
  }

  /** The periodic check: raises the silence alert once the second check in a row finds silence. */
  List<Event> tick(Instant now) {
    if (!silent(now)) {
      silenceSuspected = false;
      return List.of();
    }
    if (silenceOpen()) {
      return List.of();
    }
    if (!silenceSuspected) {
      silenceSuspected = true;
      return List.of();
    }
    silenceOpen = true;
    Instant last = lastReport == null ? started : lastReport;
    String which = lastReport == null ? "no report has been staged since the agent started at " + local(started, now)
        : "the last report is from " + local(lastReport, now);
    return List.of(new Event(Kind.SILENCE, true, now, "No heartbeat for " + human(Duration.between(last, now))
        + " (the monitor reports every " + human(cadence) + "; alerting after " + human(threshold) + "): " + which + "."));
  }

  /**
   * A report was staged: it may end a silence, and, when it is the newest report, raise or clear the
   * CRITICAL alert. {@code detail} says what failed, for the message.
   */
  List<Event> onReport(Instant reportTime, Status status, String detail, Instant now) {
    if (lastReport != null && !reportTime.isAfter(lastReport)) {
      return List.of(); // an older report arriving late changes neither silence nor status
    }
    Instant previous = lastReport == null ? started : lastReport;
    lastReport = reportTime;
    List<Event> events = new ArrayList<>(2);
    if (!silent(now)) {
      silenceSuspected = false;
      if (silenceOpen()) {
        events.add(new Event(Kind.SILENCE, false, now, "Heartbeats resumed: a report from " + local(reportTime, now)
            + " arrived after " + human(Duration.between(previous, reportTime)) + " of silence."));
        silenceOpen = false;
      }
    }
    boolean critical = status == Status.ERROR;
    if (critical && onCritical && !criticalOpen() && !stale(reportTime, now)) {
      criticalSince = reportTime;
      events.add(new Event(Kind.CRITICAL, true, now,
          "The heartbeat of " + local(reportTime, now) + " says CRITICAL" + (detail == null || detail.isBlank() ? "." : ": " + detail)));
    } else if (!critical && criticalOpen()) {
      events.add(new Event(Kind.CRITICAL, false, now, "Status cleared: the heartbeat of " + local(reportTime, now) + " says "
          + (status == Status.WARN ? "WARNINGS" : "HEALTHY") + " (CRITICAL since " + local(criticalSince, now) + ")."));
      criticalSince = null;
    }
    return events;
  }

  private Instant since() {
    return lastReport == null || lastReport.isBefore(started) ? started : lastReport;
  }

  private boolean silent(Instant now) {
    return Duration.between(since(), now).compareTo(threshold) > 0;
  }

  /** A report older than the silence threshold is history (a catch-up), not news to page about. */
  private boolean stale(Instant reportTime, Instant now) {
    return Duration.between(reportTime, now).compareTo(threshold) > 0;
  }

  /** {@code 45 s}, {@code 16 min}, {@code 2 h 05 min}, {@code 3 d 04 h}: what a person reads at a glance. */
  static String human(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return s / 60 + " min";
    }
    if (s < 86400) {
      return "%d h %02d min".formatted(s / 3600, s / 60 % 60);
    }
    return "%d d %02d h".formatted(s / 86400, s / 3600 % 24);
  }

  /** {@code 14:06 +07:00} on the day of {@code now}, with the date before it on any other day. */
  String local(Instant t, Instant now) {
    ZonedDateTime at = t.atZone(zone);
    boolean today = at.toLocalDate().equals(now.atZone(zone).toLocalDate());
    return (today ? TIME : DAY_TIME).format(at);
  }
}
