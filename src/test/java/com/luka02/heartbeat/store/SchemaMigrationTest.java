package com.luka02.heartbeat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store written by the release before the change sequence opens, migrates, and keeps its ledger's meaning. */
class SchemaMigrationTest {
  private static final ZoneId UTC = ZoneId.of("UTC");
  private static final LocalDate EXPORTED = LocalDate.of(2025, 10, 1);
  private static final LocalDate EDITED_SINCE = LocalDate.of(2025, 10, 2);
  private static final LocalDate NEVER_EXPORTED = LocalDate.of(2025, 10, 3);

  @TempDir Path dir;

  /** Creates the old schema (kept verbatim as a test resource) with one row per day and a ledger. */
  private Path oldStore() throws Exception {
    Path db = dir.resolve("staging.duckdb");
    String ddl;
    try (InputStream in = SchemaMigrationTest.class.getResourceAsStream("schema-before-change-seq.sql")) {
      ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement s = c.createStatement()) {
      for (String statement : ddl.split(";\\s*\\n")) {
        if (!statement.replaceAll("(?m)--.*$", "").isBlank()) {
          s.execute(statement);
        }
      }
      for (LocalDate day : List.of(EXPORTED, EDITED_SINCE, NEVER_EXPORTED)) {
        s.execute("INSERT INTO heartbeats VALUES ('heartbeat_" + day + ".md', 'heartbeat', TIMESTAMPTZ '" + day
            + " 12:00:00+00', 'ok', 71, 'ok', 'ok', 'ok', 'loaded', 'loaded', '[]', 'fine', 'g/reports/" + day
            + ".md', 'h', DATE '" + day + "', TIMESTAMPTZ '" + day.plusDays(1) + " 01:00:00+00')");
      }
      for (LocalDate day : List.of(EXPORTED, EDITED_SINCE)) {
        // EDITED_SINCE was exported before its row was last staged.
        String through = day.equals(EXPORTED) ? day.plusDays(1) + " 01:00:00+00" : day.plusDays(1) + " 00:30:00+00";
        s.execute("INSERT INTO exports VALUES (DATE '" + day + "', 1, 'g/analytics/x.parquet', 10, 1, TIMESTAMPTZ '"
            + day.plusDays(1) + " 02:30:00+00', 'sha', TIMESTAMPTZ '" + through + "', false)");
      }
    }
    return db;
  }

  @Test
  void oldStoreMigratesOnOpenAndDueDaysStayDue() throws Exception {
    Path db = oldStore();
    try (StagingStore store = StagingStore.open(db, UTC)) {
      List<LocalDate> due = store.daysToExport(NEVER_EXPORTED).stream().map(DayExport::day).toList();

      assertEquals(List.of(EDITED_SINCE, NEVER_EXPORTED), due);
      assertEquals(0L, Stores.value(store, "SELECT count(*) FROM heartbeats WHERE change_seq IS NULL"));
      assertEquals(0L, Stores.value(store, "SELECT count(*) FROM exports WHERE exported_through IS NULL"));
    }
  }

  @Test
  void migratedStoreTakesNewRowsAndNoticesAnEditOfAnExportedDay() throws Exception {
    Path db = oldStore();
    try (StagingStore store = StagingStore.open(db, UTC)) {
      StagedFile report = Stores.real("heartbeat_2025-10-27_17-52-10.md");
      store.stage(List.of(report), List.of(), Instant.parse("2025-01-01T00:00:00Z"), false); // a clock far behind
      LocalDate day = report.day();

      assertEquals(List.of(EDITED_SINCE, NEVER_EXPORTED, day),
          store.daysToExport(day).stream().map(DayExport::day).toList());
    }
    try (StagingStore reopened = StagingStore.open(db, UTC)) {
      assertEquals(4L, Stores.value(reopened, "SELECT count(*) FROM heartbeats"), "migrating twice changes nothing");
      assertEquals(3, reopened.daysToExport(LocalDate.of(2025, 12, 31)).size());
    }
  }
}
