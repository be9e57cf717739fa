package com.luka02.heartbeat.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloverTriggerTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final Duration RETRY = Duration.ofMinutes(5);
  private final RolloverSchedule schedule = new RolloverSchedule(BERLIN, LocalTime.of(2, 30));
  private final RolloverTrigger trigger = new RolloverTrigger(schedule, RETRY);

  private static Instant berlin(String local) {
    return LocalDateTime.parse(local).atZone(BERLIN).toInstant();
  }

  /** Ticks from {@code from} (exclusive) to {@code to} every {@code step}; returns when a run happened. */
  private List<Instant> tickEvery(Duration step, Instant from, Instant to) {
    List<Instant> runs = new ArrayList<>();
    for (Instant t = from.plus(step); !t.isAfter(to); t = t.plus(step)) {
      if (trigger.due(t)) {
        trigger.ran(t, true);
        runs.add(t);
      }
    }
    return runs;
  }

  @Test
  void firstTick_alwaysRuns() {
    assertTrue(trigger.due(berlin("2026-02-11T01:00")));
  }

  @Test
  void afterARunAt0100_notDueAt0229_dueAt0230() {
    trigger.ran(berlin("2026-02-11T01:00"), true);
    assertFalse(trigger.due(berlin("2026-02-11T02:29:59")));
    assertTrue(trigger.due(berlin("2026-02-11T02:30")));
  }

  @Test
  void afterTheRollover_notDueAgainUntilTheNextNight() {
    trigger.ran(berlin("2026-02-11T02:30"), true);
    assertFalse(trigger.due(berlin("2026-02-11T02:31")));
    assertFalse(trigger.due(berlin("2026-02-12T00:00")));
    assertFalse(trigger.due(berlin("2026-02-12T02:29")));
    assertTrue(trigger.due(berlin("2026-02-12T02:30")));
  }

  @Test
  void wakingAt0900AfterSleepingThrough0230_runsOnceAtOnce() {
    trigger.ran(berlin("2026-02-11T01:00"), true);
    assertTrue(trigger.due(berlin("2026-02-11T09:00")));
    trigger.ran(berlin("2026-02-11T09:00"), true);
    assertFalse(trigger.due(berlin("2026-02-11T09:01")));
  }

  @Test
  void failedRun_isDueAgainAfterTheRetryDelay() {
    trigger.ran(berlin("2026-02-11T02:30"), false);
    assertFalse(trigger.due(berlin("2026-02-11T02:34:59")));
    assertTrue(trigger.due(berlin("2026-02-11T02:35")));
    trigger.ran(berlin("2026-02-11T02:35"), true);
    assertFalse(trigger.due(berlin("2026-02-11T02:40")));
  }

  @Test
  void next_isTheRetryAfterAFailure_andTheScheduleOtherwise() {
    trigger.ran(berlin("2026-02-11T02:30"), false);
    assertEquals(berlin("2026-02-11T02:35"), trigger.next(berlin("2026-02-11T02:31")));
    trigger.ran(berlin("2026-02-11T02:35"), true);
    assertEquals(berlin("2026-02-12T02:30"), trigger.next(berlin("2026-02-11T02:36")));
  }

  @Test
  void springForwardNight_runsExactlyOnce_at0330Cest() {
    Instant evening = berlin("2026-03-28T20:00");
    trigger.ran(evening, true);
    List<Instant> runs = tickEvery(Duration.ofMinutes(30), evening, berlin("2026-03-29T12:00"));
    assertEquals(List.of(Instant.parse("2026-03-29T01:30:00Z")), runs);
  }

  @Test
  void fallBackNight_runsExactlyOnce_atTheFirst0230() {
    Instant evening = berlin("2026-10-24T20:00");
    trigger.ran(evening, true);
    List<Instant> runs = tickEvery(Duration.ofMinutes(30), evening, berlin("2026-10-25T12:00"));
    assertEquals(List.of(Instant.parse("2026-10-25T00:30:00Z")), runs);
  }

  @Test
  void fallBackNight_tickingEveryMinute_stillRunsOnce() {
    Instant evening = berlin("2026-10-24T20:00");
    trigger.ran(evening, true);
    assertEquals(1, tickEvery(Duration.ofMinutes(1), evening, berlin("2026-10-25T12:00")).size());
  }
}
