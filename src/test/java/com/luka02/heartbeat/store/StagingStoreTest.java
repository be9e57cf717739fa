package com.luka02.heartbeat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.ingest.CatchupOptions;
import com.luka02.heartbeat.ingest.Ingester;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StagingStoreTest {
  private static final Instant NOW = Instant.parse("2025-11-20T03:04:05.678Z");
  private static final String REPORT = "heartbeat_2025-10-27_17-52-10.md";
  private static final Duration CHILD_START = Duration.ofSeconds(30);
  private static final ZoneId UTC = ZoneId.of("UTC");

  @TempDir Path root;

  private Path db() {
    return root.resolve("g/analytics/staging.duckdb");
  }

  @Test
  void storeSurvivesCloseAndReopen() {
    StagedFile staged = Stores.real(REPORT);
    QuarantinedFile bad = new QuarantinedFile("g/reports/ops_atomic/heartbeat_bad.md", 12, 1_761_600_000_000L,
        "abc", "line 3: expected '**Timestamp:**' ...", 3, "# OPS");
    try (StagingStore store = StagingStore.open(db(), UTC)) {
      store.stage(List.of(staged), List.of(bad), NOW, false);
    }

    try (StagingStore store = StagingStore.open(db(), UTC)) {
      assertEquals(List.of(List.of(REPORT, "error")), store.query("SELECT filename, status FROM heartbeats", 10).rows());
      Map<String, SeenFile> seen = store.seenFiles(List.of(staged.path(), bad.path(), "g/reports/never-seen.md"));
      assertEquals(staged.heartbeat().timestamp(), seen.get(staged.path()).reportTs());
      assertEquals(new SeenFile(12, 1_761_600_000_000L, "abc", null), seen.get(bad.path()));
      assertEquals(2, seen.size(), "a path never seen has no record");
      assertEquals(List.of(List.of(bad.path(), 3)), store.query("SELECT path, line FROM quarantine", 10).rows());
    }
  }

  @Test
  void firstTenColumnsAreTheOldParquetColumnsInOrder() {
    try (StagingStore store = StagingStore.open(db(), UTC)) {
      List<List<Object>> described = store.query("SELECT column_name, column_type FROM (DESCRIBE heartbeats)", 100).rows();

      assertEquals(List.of(
          List.of("filename", "VARCHAR"),
          List.of("report_type", "VARCHAR"),
          List.of("timestamp", "TIMESTAMP WITH TIME ZONE"),
          List.of("status", "VARCHAR"),
          List.of("duration_ms", "INTEGER"),
          List.of("redis_status", "VARCHAR"),
          List.of("database_status", "VARCHAR"),
          List.of("api_status", "VARCHAR"),
          List.of("launchagent_optimizer", "VARCHAR"),
          List.of("launchagent_digest", "VARCHAR")), described.subList(0, 10));
    }
  }

  @Test
  void ingestedAtIsATimestamptzSetToTheCommitInstant() {
    try (StagingStore store = StagingStore.open(db(), UTC)) {
      store.stage(List.of(Stores.real(REPORT)), List.of(), NOW, false);

      assertEquals(List.of("TIMESTAMP WITH TIME ZONE", true), store.query(
          "SELECT typeof(ingested_at), ingested_at = TIMESTAMPTZ '" + NOW + "' FROM heartbeats", 10).rows().get(0));
    }
  }

  @Test
  void storeOpensInAFixedOffsetZone() {
    try (StagingStore store = StagingStore.open(db(), ZoneOffset.ofHours(7))) {
      assertEquals("2025-10-28 00:52:10+07",
          Stores.value(store, "SELECT CAST(TIMESTAMPTZ '2025-10-27 17:52:10+00' AS VARCHAR)"));
    }
  }

  @ParameterizedTest
  @CsvSource({"Asia/Bangkok, 2025-10-28", "UTC, 2025-10-27", "America/Los_Angeles, 2025-10-27"})
  void reportDayFollowsTheConfiguredZone(String zone, String day) throws IOException {
    Path cfg = Files.writeString(root.resolve("config.json"), "{\"zone\": \"" + zone + "\"}");
    Config config = ConfigLoader.load(root, cfg);
    Path ops = Files.createDirectories(config.reportsDir().resolve("ops_atomic"));
    try (InputStream in = StagingStoreTest.class.getResourceAsStream("/heartbeats-real/" + REPORT)) {
      Files.copy(in, ops.resolve(REPORT));
    }
    try (StagingStore store = StagingStore.open(config.stagingDb(), config.zone())) {
      new Ingester(config, store, Clock.fixed(NOW, ZoneOffset.UTC)).catchup(CatchupOptions.FULL);

      assertEquals(day, Stores.value(store, "SELECT CAST(report_day AS VARCHAR) FROM heartbeats"));
    }
  }

  @Test
  void secondProcessIsRefusedNamingTheLockHolder() throws IOException, InterruptedException {
    Files.createDirectories(db().getParent());
    Process holder = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
        "-cp", System.getProperty("java.class.path"), HoldStore.class.getName(), db().toString())
        .redirectErrorStream(true)
        .start();
    try {
      String output = assertTimeoutPreemptively(CHILD_START, () -> awaitReady(holder));
      assertTrue(output.endsWith(HoldStore.READY), "the child did not open the store:\n" + output);

      StoreException e = assertThrows(StoreException.class, () -> StagingStore.open(db(), UTC));

      assertTrue(e.getMessage().contains("is in use by another process"), e.getMessage());
      assertTrue(e.getMessage().contains("PID " + holder.pid()), e.getMessage());
    } finally {
      holder.getOutputStream().close();
      if (!holder.waitFor(10, TimeUnit.SECONDS)) {
        holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Reads the child's output up to its ready line (or its end, if it failed), and returns it. */
  private static String awaitReady(Process child) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      seen.append(seen.length() == 0 ? "" : "\n").append(line);
      if (line.equals(HoldStore.READY)) {
        break;
      }
    }
    return seen.toString();
  }
}
