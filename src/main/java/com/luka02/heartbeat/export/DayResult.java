package com.luka02.heartbeat.export;

import com.luka02.heartbeat.store.DayExport;
import java.time.LocalDate;

/** The outcome of exporting one day; {@code error} is null on success. */
public record DayResult(LocalDate day, long rows, String file, long bytes, long durationMs, String error) {
  /** A day a rollover would export, as a dry run shows it. */
  static DayResult planned(DayExport day) {
    return new DayResult(day.day(), day.stagedRows(), null, 0, 0, null);
  }

  public boolean ok() {
    return error == null;
  }

  public String describe() {
    return ok()
        ? "%s: %d rows -> %s (%d bytes, %d ms)".formatted(day, rows, file, bytes, durationMs)
        : "%s: FAILED: %s".formatted(day, error);
  }
}
