package com.luka02.heartbeat.export;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * When days fall due, as a pure function of the wall clock. A day is due once the rollover time of
 * the following day has passed. Decisions compare days, never count timer firings, so sleep, clock
 * jumps and DST cannot skip or double a day.
 */
public record RolloverSchedule(ZoneId zone, LocalTime at) {

  /** The latest day that is due at {@code now}. */
  public LocalDate lastDueDay(Instant now) {
    LocalDate today = LocalDate.ofInstant(now, zone);
    return now.isBefore(runOn(today)) ? today.minusDays(2) : today.minusDays(1);
  }

  /** The first rollover instant after {@code now}. */
  public Instant nextRun(Instant now) {
    LocalDate today = LocalDate.ofInstant(now, zone);
    Instant todays = runOn(today);
    return now.isBefore(todays) ? todays : runOn(today.plusDays(1));
  }

  /**
   * The rollover instant on {@code date}. In a spring-forward gap the local time is moved later by
   * the gap (02:30 becomes 03:30); when it occurs twice, the earlier one counts.
   */
  public Instant runOn(LocalDate date) {
    return ZonedDateTime.ofLocal(date.atTime(at), zone, null).toInstant();
  }
}
