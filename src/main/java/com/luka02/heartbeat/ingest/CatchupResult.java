package com.luka02.heartbeat.ingest;

/** The counts a catch-up prints. */
public record CatchupResult(
    long scanned, long added, long updated, long unchanged, long ignored, long quarantined, long forgotten,
    long elapsedMillis, boolean dryRun) {

  /** One line for people, as the CLI and the log print it. */
  public String describe() {
    return (dryRun ? "dry run: would stage " : "")
        + "scanned %d, new %d, updated %d, unchanged %d, ignored %d, quarantined %d in %d ms"
            .formatted(scanned, added, updated, unchanged, ignored, quarantined, elapsedMillis);
  }
}
