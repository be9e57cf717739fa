package com.luka02.heartbeat.export;

import java.time.LocalDate;

/** The outcome of exporting one day; {@code error} is null on success. */
public record DayResult(LocalDate day, long rows, String file, long bytes, long durationMs, String error) {
  public boolean ok() {
    return error == null;
  }

  public String describe() {
    return ok()
        ? "%s: %d rows -> %s (%d bytes, %d ms)".formatted(day, rows, file, bytes, durationMs)
        : "%s: FAILED: %s".formatted(day, error);
  }
}
