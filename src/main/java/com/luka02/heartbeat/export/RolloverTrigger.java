package com.luka02.heartbeat.export;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Decides, at each tick of the agent, whether a rollover runs now: when a new day has fallen due
 * since the last successful run, or when a failed run's retry delay has passed. Pure: time comes in.
 */
public final class RolloverTrigger {
  private final RolloverSchedule schedule;
  private final Duration retryDelay;
  private LocalDate coveredThrough;
  private Instant retryAt;

  public RolloverTrigger(RolloverSchedule schedule, Duration retryDelay) {
    this.schedule = schedule;
    this.retryDelay = retryDelay;
  }

  /** True when a rollover should run at {@code now}. The first tick always runs: the agent may have been down. */
  public boolean due(Instant now) {
    if (retryAt != null) {
      return !now.isBefore(retryAt);
    }
    return coveredThrough == null || !schedule.lastDueDay(now).equals(coveredThrough);
  }

  /** Records a run that started at {@code startedAt}. */
  public void ran(Instant startedAt, boolean succeeded) {
    if (succeeded) {
      coveredThrough = schedule.lastDueDay(startedAt);
      retryAt = null;
    } else {
      retryAt = startedAt.plus(retryDelay);
    }
  }

  /** Makes the next tick run: rows for finished days arrived after the last run looked. */
  public void recheck() {
    coveredThrough = null;
    retryAt = null;
  }

  /** When the next run is expected, for {@code status}. */
  public Instant next(Instant now) {
    return retryAt != null ? retryAt : schedule.nextRun(now);
  }
}
