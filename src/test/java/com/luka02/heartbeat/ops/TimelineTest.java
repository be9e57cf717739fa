package com.luka02.heartbeat.ops;

import com.luka02.heartbeat.report.Status;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimelineTest {
  private static final Duration CADENCE = Duration.ofMinutes(5);
  private static final Instant FROM = Instant.parse("2026-11-20T00:00:00Z");
  private static final Instant TO = FROM.plus(Duration.ofHours(24));

  private static Timeline.Report report(Instant at, Timeline.Check... checks) {
    return new Timeline.Report(at, "heartbeat.md", Status.OK, List.of(checks));
  }

  private static Timeline.Check check(String section, String label, String status) {
    return new Timeline.Check(section, label, Status.fromWireOrNull(status));
  }

  @Test
  void gapsAreStretchesOfOverTwoCadencesWithoutAReportFromWhenOneWasDue() {
    List<Timeline.Report> reports = new ArrayList<>();
    for (int m = 60; m <= 120; m += 5) {
      reports.add(report(FROM.plus(Duration.ofMinutes(m))));
    }
    reports.add(report(FROM.plus(Duration.ofMinutes(129)))); // late, within two cadences: no gap
    reports.add(report(FROM.plus(Duration.ofMinutes(200))));

    Timeline t = Timeline.of(reports, FROM, TO, CADENCE);

    assertEquals(List.of(
        new Timeline.Gap(FROM, FROM.plus(Duration.ofMinutes(60)), 3600),
        new Timeline.Gap(FROM.plus(Duration.ofMinutes(134)), FROM.plus(Duration.ofMinutes(200)), 66 * 60),
        new Timeline.Gap(FROM.plus(Duration.ofMinutes(205)), TO, (24 * 60 - 205) * 60)), t.gaps());
  }

  @Test
  void windowWithoutReportsIsOneGap() {
    assertEquals(List.of(new Timeline.Gap(FROM, TO, 86400)), Timeline.of(List.of(), FROM, TO, CADENCE).gaps());
  }

  @Test
  void sectionWithOneBulletIsOneLaneAndEachLaunchAgentHasItsOwn() {
    Timeline t = Timeline.of(List.of(report(FROM,
        check("Redis", "Status", "ok"), check("Database", "Status", "error"),
        check("LaunchAgents", "com.02luka.optimizer", "ok"), check("LaunchAgents", "com.02luka.digest", null))),
        FROM, TO, CADENCE);

    assertEquals(List.of("Overall", "Redis", "Database", "LaunchAgents / com.02luka.optimizer",
        "LaunchAgents / com.02luka.digest"), t.lanes().stream().map(Timeline.Lane::name).toList());
    assertEquals(Map.of("Redis", "ok", "Database", "error", "LaunchAgents / com.02luka.optimizer", "ok",
        "LaunchAgents / com.02luka.digest", "unknown"), t.reports().get(0).checks());
  }

  @Test
  void uptimeIsTheShareOfReportsWhereTheCheckWasOk_skippedLeftOut_andCoverageCountsGaps() {
    List<Timeline.Report> reports = new ArrayList<>();
    String[] redis = {"ok", "ok", "error", "skipped", "warn"};
    for (int i = 0; i < redis.length; i++) {
      reports.add(report(FROM.plus(Duration.ofMinutes(5L * i)), check("Redis", "Status", redis[i])));
    }

    Timeline t = Timeline.of(reports, FROM, FROM.plus(Duration.ofMinutes(50)), CADENCE);

    assertEquals(50.0, t.lanes().get(1).uptimePercent(), "2 ok of 4 judged");
    assertEquals(100.0, t.lanes().get(0).uptimePercent(), "every report's overall status was ok");
    assertEquals(50.0, t.coveragePercent(), "the last 25 minutes had no heartbeat");
  }
}
