package com.luka02.heartbeat.store;

/**
 * The keys of the {@code agent_state} table, said once: a key spelled twice is a key that can drift.
 * The strings are stored, so they never change.
 */
public final class StateKeys {
  /** The zone the store's days were counted in; a different zone at open is refused. */
  public static final String ZONE = "zone";
  /** The last rollover's failure, shown in red by the status page; cleared by a run that succeeds. */
  public static final String ROLLOVER_ERROR = "rollover.error";
  /** When the last rollover started. */
  public static final String ROLLOVER_LAST_RUN = "rollover.last_run";
  /** The writer's proof of life, written when no other write proved the store writable. */
  public static final String AGENT_ALIVE_AT = "agent.alive_at";

  private StateKeys() {}
}
