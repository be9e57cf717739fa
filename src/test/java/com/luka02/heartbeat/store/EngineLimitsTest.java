package com.luka02.heartbeat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DuckDB held to a memory limit spills to the store's private work folder instead of failing, and keeps no copy of the archive. */
class EngineLimitsTest {
  @TempDir Path root;

  @Test
  void aQueryLargerThanTheMemoryLimitSpillsToTheWorkFolder() {
    Path db = root.resolve("g/analytics/staging.duckdb");
    try (StagingStore store = StagingStore.open(db, ZoneOffset.UTC, List.of(db.getParent()), new EngineLimits(128, 1));
        UserQueries queries = new UserQueries(store, new QueryLimits(10, 1 << 20, Duration.ofSeconds(60), 1))) {
      Path spill = store.workFolder().resolve("spill");

      QueryResult r = queries.run("SELECT count(*) AS n FROM (SELECT DISTINCT range::VARCHAR || repeat('x', 60) AS v "
          + "FROM range(3000000))");
      QueryResult where = queries.run("SELECT current_setting('temp_directory') AS t");

      assertEquals(3_000_000L, ((Number) r.rows().get(0).get(0)).longValue());
      assertEquals(spill.toString(), where.rows().get(0).get(0));
      assertTrue(Files.isDirectory(spill));
      assertTrue(store.workFolder().getFileName().toString().startsWith("."), "hidden from users browsing the folder");
    }
  }

  @Test
  void smallCommitsAreCheckpointedOnceTheLogHoldsFourMegabytes() {
    Path db = root.resolve("g/analytics/staging.duckdb");
    Path log = Path.of(db + ".wal");
    try (StagingStore store = StagingStore.open(db, ZoneOffset.UTC, List.of(db.getParent()))) {
      String value = "x".repeat(60_000); // each commit small enough to go through the log
      long largest = 0;
      for (int i = 0; i < 120; i++) { // 7 MB of log in all
        store.putState(StateKey.ROLLOVER_ERROR, value + i, Instant.EPOCH);
        largest = Math.max(largest, log.toFile().length());
      }
      assertTrue(largest > 3_000_000, "the log grew to " + largest + " bytes");
      assertTrue(largest < 4_500_000, "the log grew to " + largest + " bytes before a checkpoint");
    }
  }

  @Test
  void theArchiveIsReadFromItsFilesNotCopiedIntoDuckDbsMemory() throws Exception {
    Path db = root.resolve("g/analytics/staging.duckdb");
    Path day = root.resolve("g/analytics/day.parquet");
    Files.createDirectories(day.getParent());
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        java.sql.Statement s = c.createStatement()) {
      s.execute("COPY (SELECT range AS n, repeat('x', 100) AS v FROM range(200000)) TO '" + day + "' (FORMAT parquet)");
    }
    try (StagingStore store = StagingStore.open(db, ZoneOffset.UTC, List.of(db.getParent()), new EngineLimits(128, 1));
        UserQueries queries = new UserQueries(store, new QueryLimits(10, 1 << 20, Duration.ofSeconds(60), 1))) {
      for (int i = 0; i < 2; i++) {
        assertEquals(200_000L, ((Number) queries.run("SELECT count(*) FROM read_parquet('" + day + "') WHERE v <> ''")
            .rows().get(0).get(0)).longValue());
      }
      QueryResult files = queries.run("SELECT coalesce(sum(memory_usage_bytes), 0) AS b FROM duckdb_memory() "
          + "WHERE tag = 'EXTERNAL_FILE_CACHE'");
      QueryResult footers = queries.run("SELECT coalesce(sum(memory_usage_bytes), 0) AS b FROM duckdb_memory() "
          + "WHERE tag = 'OBJECT_CACHE'");

      // An idle agent held 13 MB of a year's Parquet files this way, more as history grew; the OS caches them already.
      assertEquals(0L, ((Number) files.rows().get(0).get(0)).longValue(), "file contents");
      // ...and 14 MB of their footers, read by the exports' verification.
      assertEquals(0L, ((Number) footers.rows().get(0).get(0)).longValue(), "footers");
    }
  }
}
