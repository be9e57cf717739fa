package com.luka02.heartbeat.export;

import static com.luka02.heartbeat.export.Fixture.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.luka02.heartbeat.store.HistorySpan;
import com.luka02.heartbeat.store.StagingStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code all_heartbeats} holds every report exactly once, wherever its row lives now. */
class AllHeartbeatsTest {
  private static final LocalDate TODAY = LocalDate.parse("2026-02-20");
  private static final LocalDate OLD = TODAY.minusDays(10);
  private static final LocalDate RECENT = TODAY.minusDays(1);

  @TempDir Path dir;

  @Test
  void beforeAnyExport_itIsTheStagedRows() throws Exception {
    try (Fixture f = retention3()) {
      f.heartbeats(OLD, "ok", "warn");
      f.stage();
      assertEquals(List.of(2L, 2L), countAndDistinct(f.store));
    }
  }

  @Test
  void exportedButNotPruned_eachReportOnce() throws Exception {
    try (Fixture f = retention3()) {
      f.heartbeats(OLD, "ok", "ok", "error");
      f.stage();
      assertTrue(f.rollover().exportDay(OLD).ok());
      assertTrue(Files.exists(f.flatParquet(OLD)));
      assertEquals(List.of(3L, 3L), countAndDistinct(f.store));
    }
  }

  @Test
  void afterRolloverAndPrune_prunedReportsAreReadFromParquet() throws Exception {
    try (Fixture f = retention3()) {
      f.heartbeats(OLD, "ok", "ok", "error");
      f.heartbeats(RECENT, "ok", "warn");
      f.stage();
      f.rollover().runDue();

      assertEquals(2, f.stagedRows(), "the old day left staging");
      assertEquals(List.of(5L, 5L), countAndDistinct(f.store));
      assertEquals(List.of("error", "ok", "ok"), column(f.store,
          "SELECT status FROM all_heartbeats WHERE report_day = DATE '" + OLD + "' ORDER BY status"));
    }
  }

  @Test
  void lateArrivalForAPrunedDay_isThereOnce_beforeAndAfterItsReExport() throws Exception {
    try (Fixture f = retention3()) {
      f.heartbeats(OLD, "ok", "ok", "ok");
      f.stage();
      f.rollover().runDue();
      f.clock.advance(Duration.ofHours(1));
      f.heartbeat(at(OLD, "23:00"), "error");
      f.stage();
      assertEquals(List.of(4L, 4L), countAndDistinct(f.store), "staged late row plus the file's three");

      f.rollover().runDue();
      assertEquals(0, f.store.stagedDay(OLD).stagedRows(), "pruned again after the re-export");
      assertEquals(List.of(4L, 4L), countAndDistinct(f.store));
    }
  }

  @Test
  void manualReExportOfAPrunedDay_changesNothingInTheView() throws Exception {
    try (Fixture f = retention3()) {
      f.heartbeats(OLD, "ok", "warn", "error");
      f.stage();
      f.rollover().runDue();
      assertTrue(f.rollover().exportDay(OLD).ok());
      assertEquals(List.of(3L, 3L), countAndDistinct(f.store));
    }
  }

  @Test
  void aRewrittenReportForAPrunedDay_showsItsStagedVersion() throws Exception {
    try (Fixture f = retention3()) {
      f.heartbeats(OLD, "ok", "ok");
      f.stage();
      f.rollover().runDue();
      f.clock.advance(Duration.ofHours(1));
      f.heartbeat(at(OLD, "08:00"), "error"); // the same report, rewritten with another status
      f.stage();
      assertEquals(List.of("error", "ok"), column(f.store,
          "SELECT status FROM all_heartbeats ORDER BY \"timestamp\""));
    }
  }

  @Test
  void survivesReopen_andAReadOnlyOpenSeesTheSameHistory() throws Exception {
    try (Fixture f = retention3()) {
      f.heartbeats(OLD, "ok", "ok", "ok");
      f.heartbeats(RECENT, "ok");
      f.stage();
      f.rollover().runDue();
      f.reopen();
      assertEquals(List.of(4L, 4L), countAndDistinct(f.store));
      f.store.close();
      try (StagingStore ro = StagingStore.openReadOnly(f.config.stagingDb(), f.config.zone(), f.config.sqlFolders())) {
        assertEquals(List.of(4L, 4L), countAndDistinct(ro));
      } finally {
        f.store = StagingStore.open(f.config);
      }
    }
  }

  @Test
  void aMissingParquetFile_leavesTheViewUsable_withTheStagedRows() throws Exception {
    try (Fixture f = retention3()) {
      f.heartbeats(OLD, "ok", "ok", "ok");
      f.heartbeats(RECENT, "ok");
      f.stage();
      f.rollover().runDue();
      Files.delete(f.flatParquet(OLD));
      f.reopen();
      assertEquals(List.of(1L, 1L), countAndDistinct(f.store));
    }
  }

  @Test
  void statusSaysWhichDaysAreStaged_andWhichOnlyInParquet() throws Exception {
    try (Fixture f = retention3()) {
      f.heartbeats(OLD, "ok", "ok", "ok");
      f.heartbeats(OLD.plusDays(1), "ok");
      f.heartbeats(RECENT, "ok");
      f.stage();
      f.rollover().runDue();
      HistorySpan h = f.store.historySpan();
      assertEquals("1 day, " + RECENT, h.describeStaged());
      assertEquals("2 days, " + OLD + " to " + OLD.plusDays(1) + ", 4 rows", h.describeParquetOnly());
    }
  }

  @Test
  void latestReport_isTheNewestEvenWhenOnlyAnOlderLateArrivalIsStaged() throws Exception {
    try (Fixture f = retention3()) {
      LocalDate mid = TODAY.minusDays(5);
      f.heartbeats(OLD, "ok");
      f.heartbeats(mid, "ok", "error");
      f.stage();
      f.rollover().runDue();
      assertEquals(0, f.stagedRows(), "both days pruned");
      f.clock.advance(Duration.ofHours(1));
      f.heartbeat(at(OLD, "23:00"), "warn");
      f.stage();

      List<Object> latest = f.store.latestReport().rows().get(0);
      assertEquals(at(mid, "08:05").toEpochMilli(), ((Number) latest.get(0)).longValue());
      assertEquals("error", latest.get(2));
      assertEquals(8, latest.size());
    }
  }

  private Fixture retention3() throws Exception {
    return Fixture.create(dir, at(TODAY, "09:00"), "\"retentionDays\": 3");
  }

  private static List<Long> countAndDistinct(StagingStore store) {
    List<Object> row = store.query("SELECT count(*), count(DISTINCT \"timestamp\") FROM all_heartbeats", 10).rows().get(0);
    return List.of(((Number) row.get(0)).longValue(), ((Number) row.get(1)).longValue());
  }

  private static List<Object> column(StagingStore store, String sql) {
    return store.query(sql, 1000).rows().stream().map(r -> r.get(0)).toList();
  }
}
