package com.luka02.heartbeat.export;

import static com.luka02.heartbeat.export.Fixture.at;
import static com.luka02.heartbeat.export.Fixture.column;
import static com.luka02.heartbeat.export.Fixture.literal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.luka02.heartbeat.bench.DayOfReports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a lake finds in the Parquet folder: Parquet only, one layout, lean columns unless asked for more. */
class LakeLayoutTest {
  private static final LocalDate DAY = LocalDate.of(2026, 2, 10);

  @TempDir Path dir;

  @Test
  void whileADayIsWritten_theParquetFolderHoldsNothingButParquet() throws Exception {
    List<String> seen = new ArrayList<>();
    try (Fixture f = Fixture.create(dir, at(DAY.plusDays(1), "09:00"), "\"parquetLayout\": \"hive\"")) {
      f.heartbeats(DAY, "ok", "error");
      f.stage();
      f.rollover(new Rollover.Faults() {
        @Override
        public void beforeRename(Path tmp) throws IOException {
          seen.add(tmp.getParent().toString());
          seen.addAll(filesUnder(f.config.parquetDir()));
        }
      }).runDue();

      assertEquals(List.of(f.config.stagingDb().getParent().toString()), seen,
          "the temporary file is written beside the store; the Parquet folder held no file yet");
      assertEquals(List.of("host=testhost/day=2026-02-10/ops_atomic_20260210_testhost.parquet"),
          filesUnder(f.config.parquetDir()));
      assertFalse(f.config.stagingDb().startsWith(f.config.parquetDir()));
      assertFalse(f.config.agentFile().startsWith(f.config.parquetDir()));
    }
  }

  @Test
  void provenance_isWrittenOnlyWhenAskedFor() throws Exception {
    try (Fixture f = Fixture.create(dir, at(DAY.plusDays(1), "09:00"), "\"parquetProvenance\": true")) {
      f.heartbeats(DAY, "ok");
      f.stage();
      f.rollover().runDue();

      List<Object> names = column("SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet("
          + literal(f.flatParquet(DAY)) + "))");
      assertTrue(names.containsAll(LakeLayout.PROVENANCE), String.valueOf(names));
    }
  }

  @Test
  void switchingFlatToHive_isRefused_leavingTheFolderAsItWas() throws Exception {
    try (Fixture flat = Fixture.create(dir, at(DAY.plusDays(1), "09:00"))) {
      flat.heartbeats(DAY, "ok");
      flat.stage();
      flat.rollover().runDue();
    }
    Files.delete(dir.resolve("config.json"));
    try (Fixture hive = Fixture.create(dir, at(DAY.plusDays(2), "09:00"), "\"parquetLayout\": \"hive\"")) {
      hive.heartbeats(DAY.plusDays(1), "ok");
      hive.stage();
      List<DayResult> results = hive.rollover().runDue();

      assertEquals(1, results.size());
      String error = results.get(0).error();
      assertTrue(error.contains("parquetLayout is 'hive'") && error.contains("ops_atomic_20260210.parquet"), error);
      assertEquals(List.of("ops_atomic_20260210.parquet"), filesUnder(hive.config.parquetDir()));
      assertTrue(hive.stats().lastRolloverError().contains("one folder must hold one layout"));
    }
  }

  @Test
  void switchingHiveToFlat_isRefusedToo() throws Exception {
    try (Fixture hive = Fixture.create(dir, at(DAY.plusDays(1), "09:00"), "\"parquetLayout\": \"hive\"")) {
      hive.heartbeats(DAY, "ok");
      hive.stage();
      hive.rollover().runDue();
    }
    Files.delete(dir.resolve("config.json"));
    try (Fixture flat = Fixture.create(dir, at(DAY.plusDays(2), "09:00"))) {
      flat.heartbeats(DAY.plusDays(1), "ok");
      flat.stage();
      String error = flat.rollover().runDue().get(0).error();

      assertTrue(error.contains("parquetLayout is 'flat'") && error.contains("host=testhost"), error);
      assertNull(flat.ledger(DAY.plusDays(1)));
    }
  }

  @Test
  void theDayFirstFoldersOfEarlierVersions_areRefused_sayingHowToMoveThem() throws Exception {
    try (Fixture f = Fixture.create(dir, at(DAY.plusDays(1), "09:00"), "\"parquetLayout\": \"hive\"")) {
      Path old = Files.createDirectories(f.config.parquetDir().resolve("day=2026-02-09"));
      Files.writeString(old.resolve("ops_atomic_20260209_testhost.parquet"), "an earlier version's file");
      f.heartbeats(DAY, "ok");
      f.stage();
      String error = f.rollover().runDue().get(0).error();

      assertTrue(error.contains("day=2026-02-09") && error.contains("host=H/day=D/"), error);
      assertEquals(List.of("day=2026-02-09/ops_atomic_20260209_testhost.parquet"), filesUnder(f.config.parquetDir()));
    }
  }

  /**
   * A generated day of 288 reports in the field's status mix, exported lean and with provenance.
   * The sizes are printed for the README; the test holds only what must be true of them.
   */
  @Test
  void aLeanDay_isSmallerThanOneWithProvenance_andHoldsTheSameRows() throws Exception {
    LocalDate day = LocalDate.of(2026, 2, 10);
    long[] bytes = new long[2];
    long[] rows = new long[2];
    for (int i = 0; i < 2; i++) {
      Path root = Files.createDirectories(dir.resolve(i == 0 ? "lean" : "provenance"));
      Instant next = day.plusDays(1).atTime(9, 0).toInstant(java.time.ZoneOffset.UTC);
      try (Fixture f = Fixture.create(root, next, "\"zone\": \"UTC\"", "\"parquetProvenance\": " + (i == 1))) {
        assertEquals(288, DayOfReports.write(root, day, 42));
        f.stage();
        DayResult r = f.rollover().exportDay(day);
        assertTrue(r.ok(), r.describe());
        bytes[i] = r.bytes();
        rows[i] = r.rows();
      }
    }
    System.out.printf("lake: one day of 288 reports: %d bytes lean, %d bytes with provenance (%.0f%%)%n",
        bytes[0], bytes[1], 100.0 * bytes[0] / bytes[1]);
    assertEquals(rows[1], rows[0]);
    assertTrue(bytes[0] < bytes[1], bytes[0] + " < " + bytes[1]);
  }

  private static List<String> filesUnder(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }
}
