package com.luka02.heartbeat.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.luka02.heartbeat.cli.Main;
import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.store.QueryResult;
import com.luka02.heartbeat.testing.AgentProcess;
import com.luka02.heartbeat.fixtures.ReportText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent as its own process: killed hard, stopped politely, refused when doubled. */
class AgentProcessTest {
  private static final Duration START = Duration.ofSeconds(60);
  private static final Instant T0 = Instant.parse("2026-11-25T00:00:00.250Z");

  @TempDir Path root;

  private AgentProcess startAgent() throws Exception {
    Files.writeString(root.resolve("config.json"), "{\"settleMillis\": 50, \"zone\": \"UTC\"}");
    Files.createDirectories(root.resolve("g/reports")); // `run` refuses a root without one
    AgentProcess agent = AgentProcess.start(root, "--root", root.toString(), "--config", "config.json", "run", "--port", "0");
    agent.await("heartbeat-ingester agent: pid", START);
    return agent;
  }

  private Config config() {
    return ConfigLoader.load(root, root.resolve("config.json"));
  }

  @Test
  void killDuringBurstLosesNothingAndRestartAddsNoDuplicates() throws Exception {
    Path dir = root.resolve("g/reports/ops_atomic");
    int total = 600;
    try (AgentProcess agent = startAgent()) {
      for (int i = 0; i < total / 2; i++) {
        ReportText.write(dir, T0.plusSeconds(300L * i));
      }
      agent.kill();
    }
    for (int i = total / 2; i < total; i++) {
      ReportText.write(dir, T0.plusSeconds(300L * i));
    }
    try (AgentProcess agent = startAgent()) {
      // Through the restarted agent, as a user would: the catch-up waits for the writer.
      assertEquals(0, Main.execute("--root", root.toString(), "--config", root.resolve("config.json").toString(), "catchup"));
      try (Backend backend = new HttpBackend(AgentInfo.readLive(config().agentFile()))) {
        QueryResult r = backend.query("SELECT count(*), count(DISTINCT \"timestamp\"), count(DISTINCT source_path) FROM heartbeats");
        assertEquals(total, ((Number) r.rows().get(0).get(0)).intValue(), "rows");
        assertEquals(total, ((Number) r.rows().get(0).get(1)).intValue(), "distinct reports");
        assertEquals(total, ((Number) r.rows().get(0).get(2)).intValue(), "distinct files");
      }
    }
  }

  @Test
  void sigtermStopsCleanlyWithExitZeroAndRemovesAgentFile() throws Exception {
    try (AgentProcess agent = startAgent()) {
      assertTrue(Files.exists(config().agentFile()));

      // SIGTERM, as launchctl bootout and systemctl stop send it.
      new ProcessBuilder("kill", "-TERM", Long.toString(agent.process().pid())).start().waitFor();

      assertTrue(agent.process().waitFor(20, TimeUnit.SECONDS), "did not exit within 20 s:\n" + agent.transcript());
      assertEquals(0, agent.process().exitValue(), agent.transcript());
      assertFalse(Files.exists(config().agentFile()));
      String log = Files.readString(config().logDir().resolve("heartbeat-ingester.log"));
      assertTrue(log.contains("INFO") && log.contains("Agent - stopped"), log);
    }
  }

  @Test
  void secondRunOnTheSameRootExitsNonZeroNamingTheRunningPid() throws Exception {
    try (AgentProcess first = startAgent()) {
      long pid = first.process().pid();
      try (AgentProcess second = AgentProcess.start(root, "--root", root.toString(), "run", "--port", "0")) {
        assertTrue(second.process().waitFor(60, TimeUnit.SECONDS));
        assertNotEquals(0, second.process().exitValue());
        assertTrue(second.transcript().contains("pid " + pid), second.transcript());
      }
      assertTrue(first.process().isAlive(), "the first agent is unaffected");
    }
  }

  @Test
  void cliCommandsWithoutAgentOpenTheStoreThemselves() throws Exception {
    ReportText.write(root.resolve("g/reports"), T0);
    Files.writeString(root.resolve("config.json"), "{\"zone\": \"UTC\"}");

    assertEquals(0, Main.execute("--root", root.toString(), "catchup"));
    try (Backend local = new LocalBackend(config(), Clock.systemUTC(), true)) {
      assertEquals(1L, ((Number) local.query("SELECT count(*) FROM heartbeats").rows().get(0).get(0)).longValue());
      assertFalse(local.status().agentUp());
    }
  }
}
