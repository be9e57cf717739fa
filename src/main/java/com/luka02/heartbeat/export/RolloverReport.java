package com.luka02.heartbeat.export;

import java.util.List;

/** What a rollover did, or with {@code dryRun} would do. */
public record RolloverReport(boolean dryRun, List<DayResult> days) {
  public boolean ok() {
    return days.stream().allMatch(DayResult::ok);
  }
}
