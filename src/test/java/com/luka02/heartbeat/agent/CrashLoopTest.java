package com.luka02.heartbeat.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.luka02.heartbeat.cli.Main;
import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.store.QueryResult;
import com.luka02.heartbeat.testing.AgentProcess;
import com.luka02.heartbeat.fixtures.ReportText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent killed with SIGKILL at random moments while 2,000 reports land in place, some kills
 * landing during a rollover. After every restart: one row per report, no partial Parquet file under a
 * final name, and a store that opens.
 */
class CrashLoopTest {
  private static final int ROUNDS = 4;
  private static final int PER_ROUND = 500;
  /** Reports from a week ago onwards, so that every rollover has finished days to write. */
  private static final Instant FIRST = Instant.parse("2026-11-01T00:00:00.250Z");

  @TempDir Path root;

  @Test
  void killedAtRandomMomentsLosesNothingAndDuplicatesNothing() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Files.writeString(root.resolve("config.json"), "{\"settleMillis\": 50, \"zone\": \"UTC\", \"retentionDays\": 0}");
    Config config = ConfigLoader.load(root, root.resolve("config.json"));
    Path dir = root.resolve("g/reports/ops_atomic");
    Files.createDirectories(dir);
    int written = 0;
    AgentProcess agent = start();
    try {
      for (int round = 0; round < ROUNDS; round++) {
        int from = written;
        CompletableFuture<Void> burst = CompletableFuture.runAsync(() -> writeReports(dir, from, PER_ROUND));
        AtomicBoolean stopRollovers = new AtomicBoolean();
        CompletableFuture<Void> rollovers = round % 2 == 1
            ? CompletableFuture.runAsync(() -> requestRollovers(config, stopRollovers))
            : CompletableFuture.completedFuture(null);
        Thread.sleep(100 + random.nextInt(1500)); // the moment of the crash: chosen by chance, not waited for
        agent.kill();
        burst.get(60, TimeUnit.SECONDS);
        stopRollovers.set(true);
        rollovers.get(60, TimeUnit.SECONDS);
        written += PER_ROUND;

        agent = start();
        assertEquals(0, Main.execute("--root", root.toString(), "--config", root.resolve("config.json").toString(), "catchup"));
        assertOneRowPerReport(config, written, "round " + round + ", seed " + seed);
        assertNoPartialParquet(config, "round " + round + ", seed " + seed);
        assertEquals(0, Main.execute("--root", root.toString(), "--config", root.resolve("config.json").toString(), "rollover"));
        assertNoPartialParquet(config, "the rollover after round " + round + ", seed " + seed);
      }
    } finally {
      agent.close();
    }
  }

  private AgentProcess start() throws Exception {
    AgentProcess agent = AgentProcess.start(root, "--root", root.toString(), "--config", "config.json", "run", "--port", "0");
    agent.await("heartbeat-ingester agent: pid", Duration.ofSeconds(60));
    return agent;
  }

  private static void writeReports(Path dir, int from, int count) {
    try {
      for (int i = from; i < from + count; i++) {
        ReportText.write(dir, FIRST.plusSeconds(300L * i));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Asks the agent to roll over again and again, so that some kills land mid-rollover. */
  private static void requestRollovers(Config config, AtomicBoolean stop) {
    while (!stop.get()) {
      AgentInfo info = AgentInfo.readLive(config.agentFile());
      if (info == null) {
        return;
      }
      try (Backend backend = new HttpBackend(info)) {
        backend.rollover(null, false);
      } catch (RuntimeException e) {
        return; // the agent died under us: that is the point
      }
    }
  }

  private static void assertOneRowPerReport(Config config, int reports, String when) {
    try (Backend backend = new HttpBackend(AgentInfo.readLive(config.agentFile()))) {
      QueryResult r = backend.query("SELECT count(*), count(DISTINCT \"timestamp\") FROM heartbeats");
      assertEquals(reports, ((Number) r.rows().get(0).get(0)).intValue(), "rows after " + when);
      assertEquals(reports, ((Number) r.rows().get(0).get(1)).intValue(), "distinct reports after " + when);
    }
  }

  /** Every file under a final name reads whole, with the full schema. */
  private static void assertNoPartialParquet(Config config, String when) throws Exception {
    List<Path> finals;
    try (var files = Files.list(config.parquetDir())) {
      finals = files.filter(p -> p.getFileName().toString().matches("ops_atomic_\\d{8}\\.parquet")).toList();
    }
    if (when.startsWith("the rollover")) {
      assertTrue(!finals.isEmpty(), "no rollover has written a file after " + when);
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      for (Path f : finals) {
        try (ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT \"timestamp\") FROM read_parquet('" + f + "')")) {
          rs.next();
          assertTrue(rs.getLong(1) > 0 && rs.getLong(1) == rs.getLong(2), f + " after " + when);
        }
      }
    }
  }
}
