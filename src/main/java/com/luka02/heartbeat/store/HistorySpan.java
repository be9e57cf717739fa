package com.luka02.heartbeat.store;

import java.time.LocalDate;

/**
 * Where history lives: days with staged rows, and days whose reports are only in their Parquet file.
 * Dates are null when there are no such days.
 */
public record HistorySpan(
    long stagedDays, LocalDate stagedFrom, LocalDate stagedTo,
    long parquetOnlyDays, LocalDate parquetFrom, LocalDate parquetTo, long parquetOnlyRows) {

  /** One line each for {@code status}: "31 days, 2026-10-28 to 2026-11-27". */
  public String describeStaged() {
    return describe(stagedDays, stagedFrom, stagedTo);
  }

  /** As {@link #describeStaged()}, for the days only in Parquet, with their row count. */
  public String describeParquetOnly() {
    return parquetOnlyDays == 0 ? "none" : describe(parquetOnlyDays, parquetFrom, parquetTo) + ", " + parquetOnlyRows + " rows";
  }

  private static String describe(long days, LocalDate from, LocalDate to) {
    if (days == 0) {
      return "none";
    }
    return days + (days == 1 ? " day, " : " days, ") + (from.equals(to) ? from.toString() : from + " to " + to);
  }
}
