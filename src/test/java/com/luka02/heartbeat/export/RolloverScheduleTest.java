package com.luka02.heartbeat.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class RolloverScheduleTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final LocalTime AT_0230 = LocalTime.of(2, 30);
  private final RolloverSchedule berlin = new RolloverSchedule(BERLIN, AT_0230);

  /** A local time in Berlin; in a fall-back overlap, the earlier of the two instants. */
  private static Instant berlin(String local) {
    return LocalDateTime.parse(local).atZone(BERLIN).toInstant();
  }

  private static LocalDate day(String d) {
    return LocalDate.parse(d);
  }

  @Test
  void lastDueDay_at0229_isTheDayBeforeYesterday() {
    assertEquals(day("2026-02-09"), berlin.lastDueDay(berlin("2026-02-11T02:29:59")));
  }

  @Test
  void lastDueDay_at0230_isYesterday() {
    assertEquals(day("2026-02-10"), berlin.lastDueDay(berlin("2026-02-11T02:30")));
  }

  @Test
  void lastDueDay_doesNotChangeAtMidnight() {
    assertEquals(day("2026-02-09"), berlin.lastDueDay(berlin("2026-02-10T23:59:59")));
    assertEquals(day("2026-02-09"), berlin.lastDueDay(berlin("2026-02-11T00:00")));
  }

  @Test
  void lastDueDay_isDecidedInTheConfiguredZoneNotUtc() {
    // 02:30 in Berlin is 01:30 UTC; at 01:45 UTC on 11 February Berlin has passed its rollover.
    assertEquals(day("2026-02-10"), berlin.lastDueDay(Instant.parse("2026-02-11T01:45:00Z")));
    assertEquals(day("2026-02-09"), berlin.lastDueDay(Instant.parse("2026-02-11T01:15:00Z")));
  }

  @Test
  void nextRun_before0230_isToday() {
    assertEquals(berlin("2026-02-11T02:30"), berlin.nextRun(berlin("2026-02-11T02:29")));
  }

  @Test
  void nextRun_at0230_isTomorrow() {
    assertEquals(berlin("2026-02-12T02:30"), berlin.nextRun(berlin("2026-02-11T02:30")));
  }

  @Test
  void nextRun_aroundMidnight_isTheComingNight() {
    assertEquals(berlin("2026-02-11T02:30"), berlin.nextRun(berlin("2026-02-10T23:59")));
    assertEquals(berlin("2026-02-11T02:30"), berlin.nextRun(berlin("2026-02-11T00:00")));
  }

  @Test
  void springForward_runsAt0330_when0230DoesNotExist() {
    // 29 March 2026: Berlin jumps from 02:00 CET to 03:00 CEST.
    assertEquals(Instant.parse("2026-03-29T01:30:00Z"), berlin.runOn(day("2026-03-29")));
    assertEquals(day("2026-03-27"), berlin.lastDueDay(Instant.parse("2026-03-29T01:29:59Z")));
    assertEquals(day("2026-03-28"), berlin.lastDueDay(Instant.parse("2026-03-29T01:30:00Z")));
    assertEquals(Instant.parse("2026-03-29T01:30:00Z"), berlin.nextRun(Instant.parse("2026-03-29T00:59:00Z")));
  }

  @Test
  void springForward_inNewYork_runsAt0330Edt() {
    RolloverSchedule ny = new RolloverSchedule(NEW_YORK, AT_0230);
    // 8 March 2026: New York jumps from 02:00 EST to 03:00 EDT (UTC-4).
    assertEquals(Instant.parse("2026-03-08T07:30:00Z"), ny.runOn(day("2026-03-08")));
    assertEquals(day("2026-03-06"), ny.lastDueDay(Instant.parse("2026-03-08T07:29:59Z")));
    assertEquals(day("2026-03-07"), ny.lastDueDay(Instant.parse("2026-03-08T07:30:00Z")));
  }

  @Test
  void fallBack_runsAtTheFirst0230Only() {
    // 25 October 2026: Berlin goes from 03:00 CEST back to 02:00 CET, so 02:30 happens at 00:30Z and 01:30Z.
    Instant first = Instant.parse("2026-10-25T00:30:00Z");
    Instant second = Instant.parse("2026-10-25T01:30:00Z");
    assertEquals(first, berlin.runOn(day("2026-10-25")));
    assertEquals(day("2026-10-24"), berlin.lastDueDay(first));
    assertEquals(day("2026-10-24"), berlin.lastDueDay(second));
    assertEquals(Instant.parse("2026-10-26T01:30:00Z"), berlin.nextRun(first));
    assertEquals(Instant.parse("2026-10-26T01:30:00Z"), berlin.nextRun(second));
  }

  @Test
  void everyDayOfAYearFallsDueExactlyOnce_inBerlinAndNewYork() {
    for (ZoneId zone : new ZoneId[] {BERLIN, NEW_YORK}) {
      RolloverSchedule s = new RolloverSchedule(zone, AT_0230);
      Instant t = Instant.parse("2026-01-01T12:00:00Z");
      LocalDate last = s.lastDueDay(t);
      int changes = 0;
      for (; t.isBefore(Instant.parse("2027-01-01T12:00:00Z")); t = t.plus(Duration.ofMinutes(10))) {
        LocalDate due = s.lastDueDay(t);
        if (!due.equals(last)) {
          assertEquals(last.plusDays(1), due, zone + " at " + t + ": a day was skipped");
          last = due;
          changes++;
        }
      }
      assertEquals(365, changes, zone + ": days that fell due in 2026");
    }
  }
}
