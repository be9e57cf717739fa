package com.luka02.heartbeat.report;

import java.time.Instant;
import java.util.List;

/**
 * A parsed heartbeat report: the facts it states, before any staging decision.
 *
 * @param complete whether the monitor's closing line was seen; a file still being written lacks it
 */
public record Heartbeat(
    Instant timestamp,
    Status status,
    Integer durationMs,
    List<Check> checks,
    String summary,
    boolean complete) {

  public static final String OPTIMIZER_AGENT = "com.02luka.optimizer";
  public static final String DIGEST_AGENT = "com.02luka.digest";

  /** The status of the first bullet of {@code section}, or null when the section is absent. */
  public Status sectionStatus(String section) {
    for (Check c : checks) {
      if (c.section().equals(section)) {
        return c.status();
      }
    }
    return null;
  }

  /** {@code loaded}, {@code not_loaded} or {@code skipped} for one LaunchAgent; null when not reported. */
  public String launchAgent(String label) {
    Check only = null;
    int bullets = 0;
    for (Check c : checks) {
      if (!c.section().equals("LaunchAgents")) {
        continue;
      }
      if (c.label().equals(label)) {
        return agentState(c.status());
      }
      only = c;
      bullets++;
    }
    // In CI the monitor replaces every agent with one "Status: Skipped in CI" bullet.
    if (bullets == 1 && only.status() == Status.SKIPPED) {
      return "skipped";
    }
    return null;
  }

  private static String agentState(Status status) {
    if (status == null) {
      return null;
    }
    return switch (status) {
      case OK -> "loaded";
      case SKIPPED -> "skipped";
      case WARN, ERROR -> "not_loaded";
    };
  }
}
