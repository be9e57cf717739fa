package com.luka02.heartbeat.agent;

import com.luka02.heartbeat.config.Config;

/** Another agent holds the root; the message names it. */
public final class AgentRunningException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private AgentRunningException(String message) {
    super(message);
  }

  static AgentRunningException of(Config config) {
    AgentInfo other = AgentInfo.readLive(config.agentFile());
    String who = other == null
        ? "another process holds " + config.lockFile()
        : "an agent is already running on this root: pid " + other.pid() + ", port " + other.port()
            + ", started " + other.startedAt();
    return new AgentRunningException(who + " (root " + config.root() + ")");
  }
}
