package com.luka02.heartbeat.store;

/** The named facts in {@code agent_state}, the one place their keys are spelled. */
public enum StateKey {
  /** The zone report days were computed in; a change moves them at the next open. */
  ZONE("zone"),
  /** Why the last rollover failed; cleared by one that succeeds. */
  ROLLOVER_ERROR("rollover.error"),
  /** When the last rollover started. */
  ROLLOVER_LAST_RUN("rollover.last_run"),
  /** The writer's small proof that the store still takes writes, when nothing else wrote for a while. */
  AGENT_ALIVE_AT("agent.alive_at");

  private final String key;

  StateKey(String key) {
    this.key = key;
  }

  /** The key as stored in {@code agent_state.key}. */
  public String key() {
    return key;
  }
}
