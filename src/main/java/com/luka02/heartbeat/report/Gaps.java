package com.luka02.heartbeat.report;

import java.time.Duration;

/**
 * The one rule for missing heartbeats, shared by the status page and the daily summaries: a stretch
 * longer than twice the cadence without a report is a gap.
 */
public final class Gaps {
  private Gaps() {}

  /** The longest stretch without a report that is not yet a gap. */
  public static Duration tolerance(Duration cadence) {
    return cadence.multipliedBy(2);
  }

  /** True when {@code between} two reports (or a report and the edge of a window) is a gap. */
  public static boolean isGap(Duration between, Duration cadence) {
    return between.compareTo(tolerance(cadence)) > 0;
  }
}
