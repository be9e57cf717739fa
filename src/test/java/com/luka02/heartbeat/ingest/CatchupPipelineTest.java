package com.luka02.heartbeat.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.store.StagingStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A catch-up streamed in many small batches and transactions, on real files and a real DuckDB file. */
class CatchupPipelineTest {
  private static final int REPORTS = 50;
  private static final Instant FIRST = Instant.parse("2025-11-01T00:00:00.123Z");

  @TempDir Path root;
  private Config config;
  private StagingStore store;
  private Path ops;

  @BeforeEach
  void open() throws IOException {
    config = ConfigLoader.load(root, null);
    store = StagingStore.open(config);
    ops = config.reportsDir().resolve("ops_atomic");
    String text = Reports.realText(Reports.HEALTHY);
    for (int i = 0; i < REPORTS; i++) {
      Instant t = FIRST.plusSeconds(300L * i);
      Reports.write(ops.resolve(name(t)), text.replace(Reports.HEALTHY_TS, t.toString()));
    }
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static String name(Instant t) {
    return "heartbeat_" + t.toString().substring(0, 19).replace('T', '_').replace(':', '-') + ".md";
  }

  private Ingester ingester(StageListener listener) {
    // 4 files a batch, a commit every 12: a catch-up of 50 reports is 13 batches in 5 transactions.
    return new Ingester(config, store, Clock.fixed(TestRoot.NOW, ZoneOffset.UTC), listener, 4, 12);
  }

  private long count(String sql) {
    return ((Number) store.query(sql, 10).rows().get(0).get(0)).longValue();
  }

  @Test
  void catchupOfManyBatchesStagesEveryReportOnce() throws IOException {
    Files.copy(ops.resolve(name(FIRST.plusSeconds(600))), ops.resolve(name(FIRST.plusSeconds(600)).replace(".md", " 2.md")));
    Path old = Files.createDirectories(config.reportsDir().resolve("2025"));
    Files.copy(ops.resolve(name(FIRST.plusSeconds(3000))), old.resolve(name(FIRST.plusSeconds(3000))));
    Reports.write(ops.resolve("heartbeat_2025-11-02_00-00-00.md"), "not a report\n");

    CatchupResult r = ingester(StageListener.NONE).catchup(CatchupOptions.FULL);

    assertEquals(List.of((long) REPORTS, 0L, 2L, 1L), TestRoot.counts(r));
    assertEquals(REPORTS, count("SELECT count(DISTINCT \"timestamp\") FROM heartbeats"));
    assertEquals(REPORTS, count("SELECT count(*) FROM heartbeats"));
    assertEquals(REPORTS + 3, count("SELECT count(*) FROM seen_files"));
    assertEquals(1, count("SELECT count(*) FROM quarantine"));
    // The original wins over its conflict copy; of equal names, the first path.
    assertEquals(0, count("SELECT count(*) FROM heartbeats WHERE filename LIKE '% 2.md'"));
    assertEquals(1, count("SELECT count(*) FROM heartbeats WHERE source_path LIKE 'g/reports/2025/%'"));
    assertEquals(List.of(0L, 0L, (long) REPORTS + 3, 0L), TestRoot.counts(ingester(StageListener.NONE).catchup(CatchupOptions.FULL)));
  }

  @Test
  void aCatchupThatStagedInBulkLeavesItsRowsInTheFileNotInMemory() throws IOException {
    Path wal = config.stagingDb().resolveSibling(config.stagingDb().getFileName() + ".wal");

    ingester(StageListener.NONE).catchup(CatchupOptions.FULL);

    // Appended rows wait in DuckDB's memory and its log until a checkpoint writes them to the file:
    // an agent whose start-up catch-up staged a year held 18 MB of them for good.
    long logged = Files.exists(wal) ? Files.size(wal) : 0;
    assertEquals(0, logged, "bytes left in the log: it was not checkpointed");
    assertEquals(REPORTS, count("SELECT count(*) FROM heartbeats"));
  }

  @Test
  void timeInTheMonitorsNameOrdersAsTheName() {
    assertEquals(20251027214031L, Ingester.nameTime("heartbeat_2025-10-27_21-40-31.md"));
    assertEquals(20251027214031L, Ingester.nameTime("heartbeat_2025-10-27_21-40-31 2.md"));
    assertEquals(0, Ingester.nameTime("heartbeat_2025-10-27.md"));
    assertEquals(0, Ingester.nameTime("heartbeat_2025-1a-27_21-40-31.md"));
    assertEquals(0, Ingester.nameTime("heartbeat_2025-10-27T21-40-31.md"));
  }

  @Test
  void aCatchupAppendsTheReportsInTheTimeTheirNamesCarryWhateverFolderHoldsThem() throws IOException {
    // Every third report moves to a folder of its own, so that no folder's listing is in time order.
    String text = Files.readString(ops.resolve(name(FIRST)));
    for (int i = 0; i < REPORTS; i += 3) {
      Path folder = Files.createDirectories(config.reportsDir().resolve("moved-" + (REPORTS - i)));
      Files.move(ops.resolve(name(FIRST.plusSeconds(300L * i))), folder.resolve(name(FIRST.plusSeconds(300L * i))));
    }
    // A name without the monitor's time sorts before the others.
    Reports.write(config.reportsDir().resolve("heartbeat_latest.md"), text.replace(FIRST.toString(), "2025-10-01T00:00:00Z"));

    ingester(StageListener.NONE).catchup(CatchupOptions.FULL);

    List<Object> expected = new java.util.ArrayList<>(List.of("heartbeat_latest.md"));
    for (int i = 0; i < REPORTS; i++) {
      expected.add(name(FIRST.plusSeconds(300L * i)));
    }
    List<Object> appended = store.query("SELECT filename FROM heartbeats ORDER BY rowid", 100).rows().stream()
        .map(row -> row.get(0)).toList();
    assertEquals(expected, appended);
  }

  @Test
  void preferredFileWinsWhenReadAfterTheOneAppended() throws IOException {
    // Two names of equal length hold one report; the later name lies in the folder that sorts first.
    Path a = Files.createDirectories(config.reportsDir().resolve("a"));
    Path b = Files.createDirectories(config.reportsDir().resolve("b"));
    String text = Files.readString(ops.resolve(name(FIRST)));
    Reports.write(b.resolve("heartbeat_2025-10-01_00-00-00.md"), text.replace(FIRST.toString(), "2025-10-01T00:00:00Z"));
    Reports.write(a.resolve("heartbeat_2025-10-05_00-00-00.md"), text.replace(FIRST.toString(), "2025-10-01T00:00:00Z"));

    CatchupResult r = ingester(StageListener.NONE).catchup(CatchupOptions.FULL);

    assertEquals(List.of((long) REPORTS + 1, 0L, 1L, 0L), TestRoot.counts(r));
    assertEquals(1, count("SELECT count(*) FROM heartbeats WHERE \"timestamp\" = TIMESTAMPTZ '2025-10-01 00:00:00Z'"));
    assertEquals(1, count("SELECT count(*) FROM heartbeats WHERE source_path = 'g/reports/a/heartbeat_2025-10-05_00-00-00.md'"));
  }

  @Test
  void aPreferredFileReadLaterUnstagesTheReportFromTheFileItWasAppendedFromAlone() throws IOException {
    // Mid-way through the reports: b's file holds report X and is appended; a file read just before it
    // is not a report. A file read later, whose path is preferred, holds X too: X moves to it, and b's
    // file alone is read again, not the bad file beside it (which would be quarantined twice).
    Path a = Files.createDirectories(config.reportsDir().resolve("a"));
    Path b = Files.createDirectories(config.reportsDir().resolve("b"));
    Instant x = FIRST.plusSeconds(300L * 20 + 100);
    String text = Files.readString(ops.resolve(name(FIRST))).replace(FIRST.toString(), x.toString());
    Reports.write(b.resolve(name(x.minusSeconds(1))), "not a report\n");
    Reports.write(b.resolve(name(x)), text);
    Reports.write(a.resolve(name(x.plusSeconds(60))), text);

    CatchupResult r = ingester(StageListener.NONE).catchup(CatchupOptions.FULL);

    assertEquals(List.of((long) REPORTS + 1, 0L, 1L, 1L), TestRoot.counts(r));
    assertEquals(1, count("SELECT count(*) FROM quarantine"));
    assertEquals(1, count("SELECT count(*) FROM heartbeats WHERE \"timestamp\" = TIMESTAMPTZ '" + x + "'"));
    assertEquals(1, count("SELECT count(*) FROM heartbeats WHERE source_path = 'g/reports/a/" + name(x.plusSeconds(60)) + "'"));
  }

  @Test
  void aNewFileHoldingAReportTheRulesStagedEarlierInTheCatchupIsNotAddedBesideIt() throws IOException {
    ingester(StageListener.NONE).catchup(CatchupOptions.FULL);
    // Four recorded files now hold reports never staged: a batch of them goes through the rules at
    // once. A new file read in the next batch holds the first of them again.
    String text = Files.readString(ops.resolve(name(FIRST)));
    Instant moved = Instant.parse("2025-12-01T00:00:00.5Z");
    for (int i = 0; i < 4; i++) {
      Reports.write(ops.resolve(name(FIRST.plusSeconds(300L * i))),
          text.replace(FIRST.toString(), moved.plusSeconds(i).toString()));
    }
    for (int i = 0; i < 4; i++) {
      Instant t = Instant.parse("2025-12-02T00:00:00.25Z").plusSeconds(300L * i);
      Reports.write(ops.resolve(name(t)), text.replace(FIRST.toString(), (i == 3 ? moved : t).toString()));
    }

    CatchupResult r = ingester(StageListener.NONE).catchup(CatchupOptions.FULL);

    assertEquals(1, count("SELECT count(*) FROM heartbeats WHERE \"timestamp\" = TIMESTAMPTZ '2025-12-01 00:00:00.5Z'"));
    assertEquals(0, count("SELECT count(*) FROM (SELECT \"timestamp\" FROM heartbeats GROUP BY ALL HAVING count(*) > 1)"));
    assertEquals(REPORTS + 3, count("SELECT count(*) FROM heartbeats"), r.describe());
  }

  @Test
  void failedCatchupLeavesTheStoreConsistentAndTheNextCompletesIt() throws IOException {
    AtomicInteger batches = new AtomicInteger();
    StageListener failing = (staged, quarantined, counts) -> {
      if (batches.incrementAndGet() == 5) { // told after the second transaction committed
        throw new IllegalStateException("the catch-up stops here");
      }
    };

    assertThrows(IllegalStateException.class, () -> ingester(failing).catchup(CatchupOptions.FULL));

    // The listener is told after each commit: two transactions' 24 reports are staged with their
    // records, and the catch-up stopped before a third began.
    assertEquals(24, count("SELECT count(*) FROM heartbeats"));
    assertEquals(24, count("SELECT count(*) FROM seen_files"));
    assertEquals(0, count("SELECT count(*) FROM heartbeats h ANTI JOIN seen_files s ON s.path = h.source_path"));

    CatchupResult again = ingester(StageListener.NONE).catchup(CatchupOptions.FULL);

    assertEquals(List.of((long) REPORTS - 24, 0L, 24L, 0L), TestRoot.counts(again));
    assertEquals(REPORTS, count("SELECT count(DISTINCT \"timestamp\") FROM heartbeats"));
    assertEquals(REPORTS, count("SELECT count(*) FROM heartbeats"));
  }

  @Test
  void aFirstCatchupThatLooksAtEachFileWhereItReadsItStagesAndCountsAsOneThatLooksFirst(@TempDir Path other)
      throws IOException {
    // A command's first catch-up looks at each listed file where a reader reads it (Walking.listing);
    // any other looks at them all first. Beside the reports: a conflict copy, a bad report, a link, a
    // folder and an empty file under heartbeat names. Both must stage, record and count the same.
    Files.copy(ops.resolve(name(FIRST.plusSeconds(600))), ops.resolve(name(FIRST.plusSeconds(600)).replace(".md", " 2.md")));
    Reports.write(ops.resolve("heartbeat_2025-11-02_00-00-00.md"), "not a report\n");
    Files.createSymbolicLink(ops.resolve("heartbeat_2025-11-03_00-00-00.md"), ops.resolve(name(FIRST)));
    Files.createDirectories(ops.resolve("heartbeat_2025-11-04_00-00-00.md"));
    Files.write(ops.resolve("heartbeat_2025-11-05_00-00-00.md"), new byte[0]);
    Config copy = ConfigLoader.load(other, null);
    try (var files = Files.walk(config.reportsDir())) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path to = copy.reportsDir().resolve(config.reportsDir().relativize(p).toString());
        if (Files.isSymbolicLink(p)) {
          Files.createSymbolicLink(to, copy.reportsDir().resolve(config.reportsDir().relativize(Files.readSymbolicLink(p)).toString()));
        } else if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    StagingStore lookedFirst = StagingStore.open(copy);
    try {
      CatchupResult where = ingester(StageListener.NONE).catchup(CatchupOptions.FULL, Ingester.walkAhead(config));
      CatchupResult first = new Ingester(copy, lookedFirst, Clock.fixed(TestRoot.NOW, ZoneOffset.UTC), StageListener.NONE, 4, 12)
          .catchup(CatchupOptions.FULL);

      assertEquals(List.of(first.scanned(), first.added(), first.updated(), first.unchanged(), first.ignored(), first.quarantined()),
          List.of(where.scanned(), where.added(), where.updated(), where.unchanged(), where.ignored(), where.quarantined()));
      assertEquals(2, where.ignored(), "the link and the folder");
      String rows = "SELECT * EXCLUDE (ingested_at, change_seq) FROM heartbeats ORDER BY \"timestamp\", source_path";
      assertEquals(lookedFirst.query(rows, 1000).rows(), store.query(rows, 1000).rows());
      String appended = "SELECT source_path FROM heartbeats ORDER BY rowid"; // the order read in: by the names' times
      assertEquals(lookedFirst.query(appended, 1000).rows(), store.query(appended, 1000).rows());
      String seen = "SELECT path, size, mtime_ms, content_hash, report_ts FROM seen_files ORDER BY path";
      assertEquals(lookedFirst.query(seen, 1000).rows(), store.query(seen, 1000).rows());
      String bad = "SELECT * EXCLUDE (seen_at) FROM quarantine ORDER BY path";
      assertEquals(lookedFirst.query(bad, 1000).rows(), store.query(bad, 1000).rows());
    } finally {
      lookedFirst.close();
    }
  }
}
