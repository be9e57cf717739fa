package com.luka02.heartbeat.agent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.testing.LiveAgent;
import com.luka02.heartbeat.fixtures.ReportText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real agent whose stop goes wrong: the root is released and {@code awaitStop} returns all the same. */
class AgentStopTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path root;
  private Config config;
  private Agent agent;

  @BeforeEach
  void start() throws Exception {
    LiveAgent live = LiveAgent.start(root, "{\"settleMillis\": 50, \"incompleteGraceMillis\": 3000, \"zone\": \"UTC\"}");
    config = live.config();
    agent = live.agent();
  }

  @AfterEach
  void stop() {
    try {
      agent.close(); // a second close only waits for the first
    } catch (Error e) {
      // the test already looked at it
    }
  }

  @Test
  void aStepThatThrows_stillReleasesTheRoot_andAwaitStopReturns() throws Exception {
    agent.beforeCloseStep(step -> {
      if (step.equals("the checkpoint")) {
        throw new IllegalStateException("simulated: the checkpoint failed");
      }
    });
    agent.close();
    assertTimeoutPreemptively(WAIT, agent::awaitStop);
    assertReleased();
  }

  @Test
  void anErrorInAStep_letsTheLaterStepsRun_andIsThrownAtTheEnd() throws Exception {
    OutOfMemoryError oom = new OutOfMemoryError("simulated: no memory to close operations");
    agent.beforeCloseStep(step -> {
      if (step.equals("operations")) {
        throw oom;
      }
    });
    assertSame(oom, assertThrows(OutOfMemoryError.class, agent::close));
    assertTimeoutPreemptively(WAIT, agent::awaitStop);
    assertReleased();
  }

  @Test
  void anErrorOnTheWriter_stopsTheAgent_andSaysSoForANonZeroExit() throws Exception {
    OutOfMemoryError oom = new OutOfMemoryError("simulated: out of memory while staging");
    agent.addStageListener((staged, bad, counts) -> {
      throw oom;
    });
    ReportText.write(config.reportsDir().resolve("ops_atomic"), Instant.parse("2026-11-20T10:00:00Z"));
    assertTimeoutPreemptively(WAIT, agent::awaitStop, "an Error must stop the agent, not be logged and forgotten");
    assertSame(oom, agent.failure());
    assertReleased();
  }

  /** agent.json is gone and the next agent can take the root and its store. */
  private void assertReleased() throws Exception {
    assertFalse(Files.exists(config.agentFile()), "agent.json outlived the agent");
    Agent next = Agent.start(config, Clock.systemUTC(), 0);
    try {
      assertNotNull(next.info());
    } finally {
      next.close();
    }
  }
}
