package com.luka02.heartbeat.ingest;

import java.time.LocalDate;

/**
 * What a catch-up covers.
 *
 * @param since only files whose report day (from the name, else the mtime) is on or after it; null for all
 * @param reparse read and parse every file, replacing rows even when unchanged
 * @param dryRun count what would change without writing
 */
public record CatchupOptions(LocalDate since, boolean reparse, boolean dryRun) {
  public static final CatchupOptions FULL = new CatchupOptions(null, false, false);
}
