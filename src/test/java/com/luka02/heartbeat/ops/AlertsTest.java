package com.luka02.heartbeat.ops;

import com.luka02.heartbeat.report.Status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.luka02.heartbeat.ops.Alerts.Event;
import com.luka02.heartbeat.ops.Alerts.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The alert decisions, driven by the times they are given: no clock, no sleeping. */
class AlertsTest {
  private static final Duration CADENCE = Duration.ofMinutes(5);
  private static final Instant START = Instant.parse("2026-11-20T10:00:00Z");
  private static final Instant LAST = START.minusSeconds(60);

  private final Alerts alerts = new Alerts(CADENCE, 3, true, START, LAST);

  private static Instant at(int minutesAfterStart) {
    return START.plus(Duration.ofMinutes(minutesAfterStart));
  }

  private static void assertEvent(Kind kind, boolean raised, List<Event> events) {
    assertEquals(1, events.size(), events.toString());
    assertEquals(kind, events.get(0).kind());
    assertEquals(raised, events.get(0).raised());
  }

  @Test
  void silenceIsAlertedByTheSecondCheckPastThreeCadences() {
    assertEquals(List.of(), alerts.tick(at(15)), "exactly three cadences is not yet silence");
    assertEquals(List.of(), alerts.tick(at(16)), "the first check past the threshold only suspects");

    List<Event> events = alerts.tick(at(17));

    assertEvent(Kind.SILENCE, true, events);
    assertTrue(events.get(0).message().startsWith("No heartbeat for 18 min"), events.get(0).message());
  }

  @Test
  void messagesGiveMinutesAndTheConfiguredZonesLocalTime_notInstants() {
    Alerts bangkok = new Alerts(CADENCE, 3, true, START, LAST, java.time.ZoneId.of("Asia/Bangkok"));
    bangkok.tick(at(16));

    String message = bangkok.tick(at(17)).get(0).message();

    assertTrue(message.startsWith("No heartbeat for 18 min (the monitor reports every 5 min; alerting after 15 min)"), message);
    assertTrue(message.endsWith("the last report is from 16:59 +07:00."), message);
    String critical = bangkok.onReport(at(20), Status.ERROR, "Database: gone", at(20)).get(1).message();
    assertTrue(critical.startsWith("The heartbeat of 17:20 +07:00 says CRITICAL"), critical);
  }

  @Test
  void silenceSeenByOneCheckOnlyIsNotAlerted() {
    alerts.tick(at(20)); // a Mac waking from sleep: the monitor's missed run has not landed yet

    assertEquals(List.of(), alerts.onReport(at(20), Status.OK, "", at(20)));
    assertEquals(List.of(), alerts.tick(at(21)));
  }

  @Test
  void silenceIsAlertedOncePerIncident() {
    alerts.tick(at(20));
    alerts.tick(at(21));

    assertEquals(List.of(), alerts.tick(at(22)));
    assertEquals(List.of(), alerts.tick(at(300)));
  }

  @Test
  void silenceRecoversOnceWhenAReportArrives() {
    alerts.tick(at(20));
    alerts.tick(at(21));

    List<Event> events = alerts.onReport(at(30), Status.OK, "", at(30));

    assertEvent(Kind.SILENCE, false, events);
    assertTrue(events.get(0).message().contains("after 31 min of silence"), events.get(0).message());
    assertEquals(List.of(), alerts.onReport(at(35), Status.OK, "", at(35)));
    assertEquals(List.of(), alerts.tick(at(36)));
  }

  @Test
  void reportThatIsItselfOldDoesNotEndASilence() {
    alerts.tick(at(60));
    alerts.tick(at(61));

    assertEquals(List.of(), alerts.onReport(at(10), Status.OK, "", at(62)), "a report 52 minutes late");
    assertTrue(alerts.silenceOpen());
  }

  @Test
  void silenceCountsFromTheAgentStartWhenTheLastReportIsOlder() {
    Alerts restarted = new Alerts(CADENCE, 3, true, START, START.minus(Duration.ofDays(2)));

    restarted.tick(at(14));
    assertEquals(List.of(), restarted.tick(at(15)), "the monitor gets a full threshold after a restart");
    restarted.tick(at(16));
    assertEvent(Kind.SILENCE, true, restarted.tick(at(17)));
  }

  @Test
  void criticalReportAlertsOnceAndAClearReportRecovers() {
    List<Event> raised = alerts.onReport(at(1), Status.ERROR, "Database: Database file not found", at(1));

    assertEvent(Kind.CRITICAL, true, raised);
    assertTrue(raised.get(0).message().endsWith("says CRITICAL: Database: Database file not found"),
        raised.get(0).message());
    assertEquals(List.of(), alerts.onReport(at(6), Status.ERROR, "still", at(6)));
    List<Event> cleared = alerts.onReport(at(11), Status.WARN, "", at(11));
    assertEvent(Kind.CRITICAL, false, cleared);
    assertTrue(cleared.get(0).message().contains("says WARNINGS"), cleared.get(0).message());
  }

  @Test
  void olderReportNeitherRaisesNorClearsCritical() {
    alerts.onReport(at(10), Status.ERROR, "", at(10));

    assertEquals(List.of(), alerts.onReport(at(5), Status.OK, "", at(11)));
    assertTrue(alerts.criticalOpen());
  }

  @Test
  void criticalIsNotAlertedWhenDisabled() {
    Alerts quiet = new Alerts(CADENCE, 3, false, START, LAST);

    assertEquals(List.of(), quiet.onReport(at(1), Status.ERROR, "", at(1)));
  }

  @Test
  void criticalReportOlderThanTheThresholdIsHistoryNotAnAlert() {
    Alerts catchingUp = new Alerts(CADENCE, 3, true, START, null);

    assertEquals(List.of(), catchingUp.onReport(START.minus(Duration.ofHours(5)), Status.ERROR, "", START));
  }
}
