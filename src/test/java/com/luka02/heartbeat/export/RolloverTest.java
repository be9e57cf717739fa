package com.luka02.heartbeat.export;

import static com.luka02.heartbeat.export.Fixture.at;
import static com.luka02.heartbeat.export.Fixture.column;
import static com.luka02.heartbeat.export.Fixture.literal;
import static com.luka02.heartbeat.export.Fixture.parquetRows;
import static com.luka02.heartbeat.export.Fixture.parquetTimestamps;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.luka02.heartbeat.io.AtomicFiles;
import com.luka02.heartbeat.store.ExportRecord;
import com.luka02.heartbeat.store.StagingStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RolloverTest {
  /** The ten columns of the old exporter's files, in order, as shared FORMAT.md lists them. */
  private static final List<String> FORMAT_COLUMNS = List.of(
      "filename", "report_type", "timestamp", "status", "duration_ms", "redis_status",
      "database_status", "api_status", "launchagent_optimizer", "launchagent_digest");
  private static final List<String> FORMAT_TYPES = List.of(
      "VARCHAR", "VARCHAR", "TIMESTAMP WITH TIME ZONE", "VARCHAR", "INTEGER", "VARCHAR",
      "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR");
  private static final Duration RETRY = Duration.ofMinutes(5);
  private static final LocalDate DAY = LocalDate.parse("2026-02-10");

  @TempDir Path dir;

  // ---------------------------------------------------------------- when it runs

  @Test
  void at0230_yesterdayIsExported_withFileLedgerAndSummary() throws Exception {
    try (Fixture f = Fixture.create(dir, at(DAY, "12:00"))) {
      f.heartbeats(DAY, "ok", "ok", "warn");
      f.stage();
      Rollover rollover = f.rollover();
      RolloverTrigger trigger = new RolloverTrigger(rollover.schedule(), RETRY);
      f.clock.set(at(DAY.plusDays(1), "00:00"));
      assertEquals(List.of(), tick(f, rollover, trigger), "agent start: nothing due yet");

      f.clock.set(at(DAY.plusDays(1), "02:29"));
      assertFalse(trigger.due(f.clock.instant()));
      assertEquals(List.of(), rollover.plan());

      f.clock.set(at(DAY.plusDays(1), "02:30"));
      assertEquals(List.of(DAY), days(tick(f, rollover, trigger)));
      Path file = f.flatParquet(DAY);
      assertEquals(3, parquetRows(file));
      ExportRecord e = f.ledger(DAY);
      assertEquals(new ExportRecord(DAY, 3, "g/analytics/ops_atomic_20260210.parquet", Files.size(file),
          e.durationMs(), at(DAY.plusDays(1), "02:30"), sha256(file), at(DAY, "12:00")), e);
      assertTrue(Files.isRegularFile(f.summary(DAY)));
    }
  }

  @Test
  void aRolloverLeavesTheStagedRowsInTheDatabaseFileNotInItsLog() throws Exception {
    try (Fixture f = Fixture.create(dir, at(DAY, "12:00"))) {
      f.heartbeats(DAY, "ok", "warn");
      f.stage();
      Path log = Path.of(f.config.stagingDb() + ".wal");
      assertTrue(Files.size(log) > 0, "staging a few reports leaves them in DuckDB's log");
      f.clock.set(at(DAY.plusDays(1), "02:30"));

      assertEquals(List.of(DAY), days(f.rollover().runDue()));

      assertTrue(Files.notExists(log) || Files.size(log) == 0, () -> "the log still holds " + log.toFile().length() + " bytes");
    }
  }

  @Test
  void sleepingThrough0230_exportsTheMissedDayOnWaking() throws Exception {
    try (Fixture f = Fixture.create(dir, at(DAY, "12:00"))) {
      f.heartbeats(DAY, "ok", "ok");
      f.stage();
      Rollover rollover = f.rollover();
      RolloverTrigger trigger = new RolloverTrigger(rollover.schedule(), RETRY);
      f.clock.set(at(DAY.plusDays(1), "01:00"));
      assertEquals(List.of(), tick(f, rollover, trigger));

      f.clock.set(at(DAY.plusDays(1), "09:00"));
      assertEquals(List.of(DAY), days(tick(f, rollover, trigger)));
      f.clock.advance(Duration.ofMinutes(5));
      assertNull(tick(f, rollover, trigger), "one run, not one per missed tick");
      assertTrue(Files.exists(f.flatParquet(DAY)));
    }
  }

  @Test
  void agentStartedAt0900_runsTheRolloverOnItsFirstTick() throws Exception {
    try (Fixture f = Fixture.create(dir, at(DAY, "12:00"))) {
      f.heartbeats(DAY, "ok", "ok");
      f.stage();
      f.clock.set(at(DAY.plusDays(1), "09:00"));
      Rollover rollover = f.rollover();
      assertEquals(List.of(DAY), days(tick(f, rollover, new RolloverTrigger(rollover.schedule(), RETRY))));
      assertEquals(2, parquetRows(f.flatParquet(DAY)));
    }
  }

  @Test
  void aWeekOfDowntime_isExportedInOneRun_andNotRedone() throws Exception {
    LocalDate first = LocalDate.parse("2026-02-02");
    try (Fixture f = Fixture.create(dir, at(first.plusDays(7), "09:00"))) {
      for (int i = 0; i < 7; i++) {
        f.heartbeats(first.plusDays(i), "ok", "warn");
      }
      f.stage();
      List<DayResult> results = f.rollover().runDue();
      assertEquals(first.datesUntil(first.plusDays(7)).toList(), days(results));
      assertTrue(results.stream().allMatch(DayResult::ok));
      for (int i = 0; i < 7; i++) {
        assertEquals(2, parquetRows(f.flatParquet(first.plusDays(i))));
      }
      List<ExportRecord> ledger = f.ledger();
      assertEquals(7, ledger.size());

      f.clock.advance(Duration.ofHours(1));
      assertEquals(List.of(), f.rollover().runDue());
      assertEquals(ledger, f.ledger(), "nothing was exported again");
    }
  }

  @Test
  void springForwardNight_runsExactlyOneRollover() throws Exception {
    LocalDate saturday = LocalDate.parse("2026-03-28"); // Berlin skips 02:00-03:00 on Sunday 29 March
    try (Fixture f = Fixture.create(dir, at(saturday, "20:00"))) {
      f.heartbeats(saturday, "ok", "ok");
      f.stage();
      List<Instant> runs = new ArrayList<>();
      List<LocalDate> exported = nightOfTicks(f, runs, at(saturday.plusDays(1), "12:00"));
      assertEquals(List.of(at(saturday, "20:00"), Instant.parse("2026-03-29T01:30:00Z")), runs,
          "the start-up run, then one at 03:30 CEST");
      assertEquals(List.of(saturday), exported);
      assertEquals(1, f.ledger().size());
    }
  }

  @Test
  void fallBackNight_runsExactlyOneRollover() throws Exception {
    LocalDate saturday = LocalDate.parse("2026-10-24"); // Berlin has 02:00-03:00 twice on Sunday 25 October
    try (Fixture f = Fixture.create(dir, at(saturday, "20:00"))) {
      f.heartbeats(saturday, "ok", "ok");
      f.stage();
      List<Instant> runs = new ArrayList<>();
      List<LocalDate> exported = nightOfTicks(f, runs, at(saturday.plusDays(1), "12:00"));
      assertEquals(List.of(at(saturday, "20:00"), Instant.parse("2026-10-25T00:30:00Z")), runs,
          "the start-up run, then one at the first 02:30 (CEST)");
      assertEquals(List.of(saturday), exported);
      assertEquals(1, f.ledger().size());
    }
  }

  // ---------------------------------------------------------------- what it exports

  @Test
  void lateArrival_reExportsItsDay() throws Exception {
    try (Fixture f = Fixture.create(dir, at(DAY.plusDays(1), "09:00"))) {
      f.heartbeats(DAY, "ok", "ok", "ok");
      f.stage();
      f.rollover().runDue();
      f.clock.advance(Duration.ofHours(1));
      f.heartbeat(at(DAY, "23:55"), "error");
      f.stage();

      assertEquals(List.of(DAY), days(f.rollover().runDue()));
      assertEquals(4, parquetRows(f.flatParquet(DAY)));
      assertEquals(4, f.ledger(DAY).rows());
      assertEquals(f.clock.instant(), f.ledger(DAY).exportedAt());
    }
  }

  @Test
  void parquet_hasTheLegacyColumnsFirst_snappy_andRowsInTimestampOrder() throws Exception {
    try (Fixture f = Fixture.create(dir, at(DAY, "12:00"))) {
      // Staged newest first, so that file order can only come from sorting.
      f.heartbeat(at(DAY, "10:10"), "ok");
      f.heartbeat(at(DAY, "10:05"), "warn");
      f.stage();
      f.clock.advance(Duration.ofMinutes(1));
      f.heartbeat(at(DAY, "10:00"), "error");
      f.heartbeat(at(DAY, "00:00"), "ok");
      f.stage();
      f.clock.set(at(DAY.plusDays(1), "02:30"));
      f.rollover().runDue();

      Path file = f.flatParquet(DAY);
      String src = "read_parquet(" + literal(file) + ")";
      List<Object> names = column("SELECT column_name FROM (DESCRIBE SELECT * FROM " + src + ")");
      List<Object> types = column("SELECT column_type FROM (DESCRIBE SELECT * FROM " + src + ")");
      assertEquals(FORMAT_COLUMNS, names.subList(0, 10));
      assertEquals(FORMAT_TYPES, types.subList(0, 10));
      List<String> lean = new java.util.ArrayList<>(StagingStore.COLUMNS);
      lean.removeAll(List.of("source_path", "content_hash", "ingested_at"));
      assertEquals(lean, names, "the extra columns follow the ten; provenance only when asked for");
      assertEquals(List.of("SNAPPY"), column("SELECT DISTINCT compression FROM parquet_metadata(" + literal(file) + ")"));
      assertEquals(List.of(at(DAY, "00:00"), at(DAY, "10:00"), at(DAY, "10:05"), at(DAY, "10:10")),
          parquetTimestamps(file));
    }
  }

  @Test
  void parquet_readsTogetherWithALegacyTenColumnFile() throws Exception {
    try (Fixture f = Fixture.create(dir, at(DAY.plusDays(1), "09:00"))) {
      f.heartbeats(DAY, "ok", "error");
      f.stage();
      f.rollover().runDue();
      Path legacy = f.config.parquetDir().resolve("ops_atomic_20251029.parquet");
      Fixture.execute("""
          COPY (SELECT 'heartbeat_2025-10-29_11-30-51.md' AS filename, 'heartbeat' AS report_type,
                       TIMESTAMPTZ '2025-10-29 11:30:51.123+00' AS "timestamp", 'ok' AS status,
                       71::INTEGER AS duration_ms, 'ok' AS redis_status, 'unknown' AS database_status,
                       'ok' AS api_status, 'loaded' AS launchagent_optimizer, 'loaded' AS launchagent_digest)
          TO %s (FORMAT parquet, COMPRESSION snappy)""".formatted(literal(legacy)));

      String all = "read_parquet(" + literal(f.config.parquetDir().resolve("*.parquet")) + ", union_by_name=true)";
      assertEquals(FORMAT_COLUMNS,
          column("SELECT column_name FROM (DESCRIBE SELECT * FROM " + all + ")").subList(0, 10));
      assertEquals(List.of("legacy", "new", "new"),
          column("SELECT CASE WHEN checks IS NULL THEN 'legacy' ELSE 'new' END FROM " + all + " ORDER BY \"timestamp\""));
      assertEquals(List.of("unknown", "ok", "error"),
          column("SELECT database_status FROM " + all + " ORDER BY \"timestamp\""));
    }
  }

  @Test
  void hiveLayout_writesAHostThenDayFolder_withBothAsPartitionsOnly() throws Exception {
    try (Fixture f = Fixture.create(dir, at(DAY.plusDays(1), "09:00"), "\"parquetLayout\": \"hive\"")) {
      f.heartbeats(DAY, "ok", "warn", "error");
      f.stage();
      List<DayResult> results = f.rollover().runDue();

      assertEquals(List.of(DAY), days(results), String.valueOf(results));
      Path file = f.config.parquetDir().resolve("host=testhost/day=2026-02-10/ops_atomic_20260210_testhost.parquet");
      assertTrue(Files.isRegularFile(file));
      assertEquals("g/analytics/host=testhost/day=2026-02-10/ops_atomic_20260210_testhost.parquet", f.ledger(DAY).file());
      String tree = "read_parquet(" + literal(f.config.parquetDir().resolve("*/*/*.parquet"))
          + ", hive_partitioning=true)";
      assertEquals(List.of("testhost", "testhost", "testhost"), column("SELECT host FROM " + tree));
      assertEquals(List.of(DAY), column("SELECT DISTINCT day::DATE FROM " + tree));
      List<Object> inFile = column("SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet("
          + literal(file) + ", hive_partitioning=false))");
      assertFalse(inFile.contains("host") || inFile.contains("day"), "partition values live in the path: " + inFile);
    }
  }

  // ---------------------------------------------------------------- the summary

  @Test
  void summary_keepsTheOldExportersFields() throws Exception {
    try (Fixture f = Fixture.create(dir, at(DAY.plusDays(1), "09:00"))) {
      f.heartbeats(DAY, "ok", "ok");
      f.stage();
      f.rollover().runDue();
      String md = Files.readString(f.summary(DAY), UTF_8);
      ExportRecord e = f.ledger(DAY);
      assertContains(md, "# Parquet Export Summary\n");
      assertContains(md, "**Date:** " + at(DAY.plusDays(1), "09:00") + "\n");
      assertContains(md, "**Status:** \u2705 Success\n");
      assertContains(md, "- **Row Count:** 2\n");
      assertContains(md, "- **File Size:** " + Summary.humanBytes(e.bytes()) + "\n");
      assertContains(md, "- **Duration:** " + e.durationMs() + "ms\n");
      assertContains(md, "- **Output File:** `" + e.file() + "`\n");
      assertContains(md, "- **Compression:** Snappy\n");
      assertContains(md, "## Validation\n");
    }
  }

  @Test
  void summary_countsHeartbeatsByStatus_andFailuresPerCheck() throws Exception {
    try (Fixture f = Fixture.create(dir, at(DAY.plusDays(1), "09:00"))) {
      f.heartbeats(DAY, "ok", "warn", "error", "error", "ok");
      f.stage();
      f.rollover().runDue();
      String md = Files.readString(f.summary(DAY), UTF_8);
      assertContains(md, "| ok | 2 |\n| warn | 1 |\n| error | 2 |\n");
      assertContains(md, "| Database / Status | 2 | 0 | 0 |\n");
      assertContains(md, "| API Endpoints / API Health | 0 | 1 | 0 |\n");
      assertContains(md, "| Redis / Status | 0 | 0 | 0 |\n");
    }
  }

  @Test
  void summary_showsFirstAndLast_andListsAGapLongerThanTwiceTheCadence() throws Exception {
    try (Fixture f = Fixture.create(dir, at(DAY.plusDays(1), "09:00"))) {
      for (String t : List.of("08:00", "08:05", "08:10", "08:40", "08:45", "08:55")) {
        f.heartbeat(at(DAY, t), "ok");
      }
      f.stage();
      f.rollover().runDue();
      String md = Files.readString(f.summary(DAY), UTF_8);
      assertContains(md, "- **First:** 2026-02-10 08:00:00 CET\n- **Last:** 2026-02-10 08:55:00 CET\n");
      String gaps = md.substring(md.indexOf("## Gaps Longer Than 10 Minutes"));
      assertContains(gaps, "| 2026-02-10 08:10:00 CET | 2026-02-10 08:40:00 CET | 30 min |\n");
      assertFalse(gaps.contains("08:45:00 CET |"), "a gap of exactly twice the cadence is not listed:\n" + gaps);
    }
  }

  // ---------------------------------------------------------------- crashes and failures

  @Test
  void crashBeforeRename_keepsThePreviousFileAndLedger_andTheNextStartRedoesIt() throws Exception {
    try (Fixture f = Fixture.create(dir, at(DAY.plusDays(1), "09:00"))) {
      f.heartbeats(DAY, "ok", "ok");
      f.stage();
      f.rollover().runDue();
      Path file = f.flatParquet(DAY);
      byte[] before = Files.readAllBytes(file);
      List<ExportRecord> ledger = f.ledger();
      f.clock.advance(Duration.ofHours(1));
      f.heartbeat(at(DAY, "23:00"), "error");
      f.stage();

      List<DayResult> crashed = f.rollover(crashBeforeRename()).runDue();
      assertFalse(crashed.get(0).ok());
      assertArrayEquals(before, Files.readAllBytes(file));
      assertEquals(List.of(file.getFileName().toString()), parquetNames(f));
      assertEquals(ledger, f.ledger());

      f.reopen();
      assertEquals(List.of(DAY), days(f.rollover().runDue()));
      assertEquals(3, parquetRows(file));
      assertEquals(3, f.ledger(DAY).rows());
    }
  }

  @Test
  void crashBeforeTheFirstRename_leavesNoFile_andTheNextStartRedoesIt() throws Exception {
    try (Fixture f = Fixture.create(dir, at(DAY.plusDays(1), "09:00"))) {
      f.heartbeats(DAY, "ok", "ok");
      f.stage();
      assertFalse(f.rollover(crashBeforeRename()).runDue().get(0).ok());
      assertEquals(List.of(), parquetNames(f));
      assertEquals(List.of(), f.ledger());
      assertFalse(Files.exists(f.summary(DAY)));

      f.reopen();
      assertEquals(List.of(DAY), days(f.rollover().runDue()));
      assertEquals(2, parquetRows(f.flatParquet(DAY)));
    }
  }

  @Test
  void temporaryFilesLeftByAKilledRollover_areRemovedAndNeverBecomeTheFile() throws Exception {
    try (Fixture f = Fixture.create(dir, at(DAY.plusDays(1), "09:00"))) {
      f.heartbeats(DAY, "ok", "ok");
      f.stage();
      Files.createDirectories(f.config.parquetDir());
      Files.createDirectories(f.config.summaryDir());
      Path leftParquet = f.config.parquetDir().resolve(".ops_atomic_20260210.parquet.tmp-99999");
      Path leftSummary = f.config.summaryDir().resolve(".parquet_export_summary_20260210.md.tmp-99999");
      Files.writeString(leftParquet, "half a parquet file");
      Files.writeString(leftSummary, "# Parquet Export Summ");

      assertEquals(List.of(DAY), days(f.rollover().runDue()));
      assertFalse(Files.exists(leftParquet));
      assertFalse(Files.exists(leftSummary));
      assertEquals(2, parquetRows(f.flatParquet(DAY)));
    }
  }

  /** The start-up rollover cleans g/state while the agent writes agent.json there through a temporary file. */
  @Test
  void aTemporaryFileThisProcessIsWriting_isLeftAlone() throws Exception {
    try (Fixture f = Fixture.create(dir, at(DAY.plusDays(1), "09:00"))) {
      f.heartbeats(DAY, "ok", "ok");
      f.stage();
      Path state = f.config.stagingDb().getParent();
      Path ours = AtomicFiles.tempFor(state.resolve("agent.json"));
      Path crashed = state.resolve(".agent.json.tmp-99999");
      Files.writeString(ours, "{\"pid\": ");
      Files.writeString(crashed, "{\"pid\": ");

      f.rollover().runDue();

      assertTrue(Files.exists(ours), "in flight: " + ours);
      assertFalse(Files.exists(crashed), "left by a crash: " + crashed);
    }
  }

  @Test
  void temporaryFileLeftInAHiveDayFolder_isRemovedToo() throws Exception {
    try (Fixture f = Fixture.create(dir, at(DAY.plusDays(1), "09:00"), "\"parquetLayout\": \"hive\"")) {
      f.heartbeats(DAY, "ok");
      f.stage();
      Path dayDir = Files.createDirectories(f.config.parquetDir().resolve("host=testhost/day=2026-02-09"));
      Path left = dayDir.resolve(".ops_atomic_20260209_testhost.parquet.tmp-99999");
      Files.writeString(left, "half a parquet file");

      f.rollover().runDue();
      assertFalse(Files.exists(left));
    }
  }

  @Test
  void verificationFailure_keepsTheOldFileAndTheRows_recordsTheError_andIsRetried() throws Exception {
    try (Fixture f = Fixture.create(dir, at(DAY.plusDays(1), "09:00"))) {
      f.heartbeats(DAY, "ok", "ok");
      f.stage();
      f.rollover().runDue();
      Path file = f.flatParquet(DAY);
      byte[] before = Files.readAllBytes(file);
      f.clock.advance(Duration.ofHours(1));
      f.heartbeat(at(DAY, "23:00"), "error");
      f.stage();

      Rollover.Faults truncate = new Rollover.Faults() {
        @Override
        public void afterWrite(Path tmp) throws IOException {
          try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() / 2);
          }
        }
      };
      assertFalse(f.rollover(truncate).runDue().get(0).ok());
      assertArrayEquals(before, Files.readAllBytes(file));
      assertNotNull(f.stats().lastRolloverError());
      assertEquals(3, f.stagedRows());
      assertEquals(2, f.ledger(DAY).rows());

      assertEquals(List.of(DAY), days(f.rollover().runDue()));
      assertEquals(3, parquetRows(file));
      assertNull(f.stats().lastRolloverError());
    }
  }

  @Test
  void rowCountMismatchOnReadBack_isRefused() throws Exception {
    try (Fixture f = Fixture.create(dir, at(DAY.plusDays(1), "09:00"))) {
      f.heartbeats(DAY, "ok", "ok", "ok");
      f.stage();
      Rollover.Faults dropARow = new Rollover.Faults() {
        @Override
        public void afterWrite(Path tmp) throws IOException {
          Path shorter = tmp.resolveSibling("shorter.parquet");
          Fixture.execute("COPY (SELECT * FROM read_parquet(%s) LIMIT 2) TO %s (FORMAT parquet, COMPRESSION snappy)"
              .formatted(literal(tmp), literal(shorter)));
          Files.move(shorter, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      };
      DayResult r = f.rollover(dropARow).runDue().get(0);
      assertFalse(r.ok());
      assertContains(r.error(), "expected 3 rows, read back 2");
      assertFalse(Files.exists(f.flatParquet(DAY)));
      assertEquals(List.of(), f.ledger());
    }
  }

  @Test
  void unwritableParquetFolder_recordsTheFailure_keepsTheRows_andIsRetried() throws Exception {
    // Tests may run as root, where a read-only mode stops nothing: a file where the folder should be does.
    try (Fixture f = Fixture.create(dir, at(DAY.plusDays(1), "09:00"), "\"parquetDir\": \"g/parquet\"")) {
      f.heartbeats(DAY, "ok", "ok");
      f.stage();
      Path blocker = f.config.parquetDir();
      Files.writeString(blocker, "not a folder");

      assertFalse(f.rollover().runDue().get(0).ok());
      assertNotNull(f.stats().lastRolloverError());
      assertEquals(2, f.stagedRows());
      assertEquals(List.of(), f.ledger());

      Files.delete(blocker);
      assertEquals(List.of(DAY), days(f.rollover().runDue()));
      assertNull(f.stats().lastRolloverError());
    }
  }

  @Test
  void unwritableSummaryFolder_isRetried_untilTheSummaryIsWritten() throws Exception {
    try (Fixture f = Fixture.create(dir, at(DAY.plusDays(1), "09:00"))) {
      f.heartbeats(DAY, "ok", "ok");
      f.stage();
      Files.createDirectories(f.config.summaryDir().getParent());
      Files.writeString(f.config.summaryDir(), "not a folder");

      assertFalse(f.rollover().runDue().get(0).ok());
      assertNotNull(f.stats().lastRolloverError());

      Files.delete(f.config.summaryDir());
      f.clock.advance(RETRY);
      assertEquals(List.of(DAY), days(f.rollover().runDue()));
      assertTrue(Files.isRegularFile(f.summary(DAY)));
      assertNull(f.stats().lastRolloverError());
    }
  }

  // ---------------------------------------------------------------- retention

  @Test
  void retention_prunesExportedRowsOlderThanRetentionDays_only() throws Exception {
    LocalDate today = LocalDate.parse("2026-02-20");
    LocalDate old = today.minusDays(10);
    LocalDate recent = today.minusDays(1);
    try (Fixture f = Fixture.create(dir, at(today, "09:00"), "\"retentionDays\": 3")) {
      f.heartbeats(old, "ok", "ok", "ok");
      f.heartbeats(recent, "ok", "ok");
      f.heartbeats(today, "ok");
      f.stage();
      f.rollover().runDue();

      assertEquals(0, f.store.stagedDay(old).stagedRows());
      assertEquals(2, f.store.stagedDay(recent).stagedRows());
      assertEquals(1, f.store.stagedDay(today).stagedRows());
      assertEquals(3, parquetRows(f.flatParquet(old)), "the file is the record now");
    }
  }

  @Test
  void retention_neverPrunesRowsNotYetExported() throws Exception {
    LocalDate today = LocalDate.parse("2026-02-20");
    LocalDate blocked = today.minusDays(10);
    LocalDate fine = today.minusDays(9);
    try (Fixture f = Fixture.create(dir, at(today, "09:00"), "\"retentionDays\": 3")) {
      f.heartbeats(blocked, "ok", "ok", "ok");
      f.heartbeats(fine, "ok", "ok");
      f.stage();
      // A non-empty folder under the final name: the rename of this one day fails.
      Path blocker = Files.createDirectories(f.flatParquet(blocked));
      Files.writeString(blocker.resolve("keep"), "in the way");

      List<DayResult> results = f.rollover().runDue();
      assertFalse(results.get(0).ok(), String.valueOf(results));
      assertTrue(results.get(1).ok(), String.valueOf(results));
      assertEquals(3, f.store.stagedDay(blocked).stagedRows());
      assertNull(f.ledger(blocked));

      Files.delete(blocker.resolve("keep"));
      Files.delete(blocker);
      assertEquals(List.of(blocked), days(f.rollover().runDue()));
      assertEquals(0, f.store.stagedDay(blocked).stagedRows(), "pruned once exported");
    }
  }

  @Test
  void retentionZero_keepsEveryRow() throws Exception {
    LocalDate today = LocalDate.parse("2026-02-20");
    try (Fixture f = Fixture.create(dir, at(today, "09:00"), "\"retentionDays\": 0")) {
      f.heartbeats(today.minusDays(400), "ok", "ok");
      f.heartbeats(today.minusDays(1), "ok");
      f.stage();
      f.rollover().runDue();
      assertEquals(2, f.ledger().size());
      assertEquals(3, f.stagedRows());
    }
  }

  @Test
  void lateArrivalForAPrunedDay_keepsTheRowsAlreadyInItsFile() throws Exception {
    LocalDate today = LocalDate.parse("2026-02-20");
    LocalDate old = today.minusDays(10);
    try (Fixture f = Fixture.create(dir, at(today, "09:00"), "\"retentionDays\": 3")) {
      f.heartbeats(old, "ok", "ok", "ok");
      f.stage();
      f.rollover().runDue();
      List<Instant> exported = parquetTimestamps(f.flatParquet(old));
      assertEquals(0, f.store.stagedDay(old).stagedRows());

      f.clock.advance(Duration.ofHours(1));
      f.heartbeat(at(old, "23:00"), "error");
      f.stage();
      assertEquals(List.of(old), days(f.rollover().runDue()));

      List<Instant> expected = new ArrayList<>(exported);
      expected.add(at(old, "23:00"));
      assertEquals(expected, parquetTimestamps(f.flatParquet(old)));
      assertEquals(4, f.ledger(old).rows());
    }
  }

  @Test
  void lateArrivalForAPrunedDay_survivesALaterRunAfterRetentionIsRaised() throws Exception {
    LocalDate today = LocalDate.parse("2026-02-20");
    LocalDate old = today.minusDays(10);
    try (Fixture first = Fixture.create(dir, at(today, "09:00"), "\"retentionDays\": 3")) {
      first.heartbeats(old, "ok", "ok", "ok");
      first.stage();
      first.rollover().runDue();
    }
    try (Fixture f = Fixture.create(dir, at(today, "10:00"), "\"retentionDays\": 0")) {
      f.heartbeat(at(old, "23:00"), "error");
      f.stage();
      f.rollover().runDue();
      assertEquals(4, parquetRows(f.flatParquet(old)));

      f.clock.advance(Duration.ofDays(1));
      f.rollover().runDue();
      assertEquals(4, parquetRows(f.flatParquet(old)), "rows exported before the prune were lost");
    }
  }

  // ---------------------------------------------------------------- helpers

  /** One agent tick: runs the rollover when the trigger says so; null when it did not. */
  private static List<DayResult> tick(Fixture f, Rollover rollover, RolloverTrigger trigger) {
    Instant now = f.clock.instant();
    if (!trigger.due(now)) {
      return null;
    }
    List<DayResult> results = rollover.runDue();
    trigger.ran(now, results.stream().allMatch(DayResult::ok));
    return results;
  }

  /** Ticks every 30 minutes from the clock's time to {@code until}; records runs, returns the days exported. */
  private static List<LocalDate> nightOfTicks(Fixture f, List<Instant> runs, Instant until) {
    Rollover rollover = f.rollover();
    RolloverTrigger trigger = new RolloverTrigger(rollover.schedule(), RETRY);
    List<LocalDate> exported = new ArrayList<>();
    for (; !f.clock.instant().isAfter(until); f.clock.advance(Duration.ofMinutes(30))) {
      List<DayResult> results = tick(f, rollover, trigger);
      if (results != null) {
        runs.add(f.clock.instant());
        exported.addAll(days(results));
      }
    }
    return exported;
  }

  private static Rollover.Faults crashBeforeRename() {
    return new Rollover.Faults() {
      @Override
      public void beforeRename(Path tmp) throws IOException {
        throw new IOException("No commit for you!");
      }
    };
  }

  private static List<LocalDate> days(List<DayResult> results) {
    return results.stream().map(r -> {
      assertTrue(r.ok(), r.describe());
      return r.day();
    }).toList();
  }

  /** Names in the Parquet folder that a reader would take for a file: not hidden, not the database. */
  private static List<String> parquetNames(Fixture f) throws IOException {
    if (!Files.isDirectory(f.config.parquetDir())) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(f.config.parquetDir())) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith(".") && !n.startsWith("staging.") && !n.startsWith("agent."))
          .sorted().toList();
    }
  }

  private static void assertContains(String text, String part) {
    assertTrue(text != null && text.contains(part), () -> "expected to find\n" + part + "\nin\n" + text);
  }

  private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
