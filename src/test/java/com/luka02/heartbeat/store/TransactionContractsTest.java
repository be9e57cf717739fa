package com.luka02.heartbeat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the writer's transactions promise: only the outermost commits, and work told "after commit" sees the commit. */
class TransactionContractsTest {
  private static final Instant NOW = Instant.parse("2025-11-20T03:04:05Z");
  private static final StagedFile FIRST = Stores.real("heartbeat_2025-10-27_17-52-10.md");
  private static final StagedFile SECOND = Stores.real("heartbeat_2025-10-29_11-30-51.md");
  private static final LocalDate FIRST_DAY = FIRST.day();

  @TempDir Path root;
  private StagingStore store;
  private final ExecutorService elsewhere = Executors.newSingleThreadExecutor();

  @BeforeEach
  void open() {
    store = StagingStore.open(root.resolve("staging.duckdb"), ZoneId.of("UTC"));
  }

  @AfterEach
  void close() {
    elsewhere.shutdownNow();
    store.close();
  }

  /** What another thread, on a connection of its own, counts in {@code heartbeats} right now. */
  private long countedElsewhere() {
    try {
      return elsewhere.submit(() -> ((Number) Stores.value(store, "SELECT count(*) FROM heartbeats")).longValue())
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the count on another thread failed", e);
    }
  }

  private void exportFirstDay() {
    store.stage(List.of(FIRST), List.of(), NOW, false);
    store.recordExport(new ExportRecord(FIRST_DAY, 1, "day.parquet", 100, 1, NOW, "sha", NOW),
        store.stagedDay(FIRST_DAY).changedThrough());
  }

  private Object pruned(LocalDate day) {
    return Stores.value(store, "SELECT pruned FROM exports WHERE day = DATE '" + day + "'");
  }

  @Test
  void pruneInsideATransactionCommitsNothingBeforeTheEnclosingCommit() {
    exportFirstDay();

    store.inTransaction(() -> {
      assertEquals(1L, store.pruneExported(FIRST_DAY.plusDays(1)));
      assertEquals(1L, countedElsewhere(), "the enclosing transaction has not committed: other connections see the row");
      return null;
    });

    assertEquals(0L, countedElsewhere());
    assertEquals(true, pruned(FIRST_DAY));
  }

  @Test
  void pruneInsideATransactionThatRollsBackLeavesNothingPruned() {
    exportFirstDay();

    assertThrows(IllegalStateException.class, () -> store.inTransaction(() -> {
      store.pruneExported(FIRST_DAY.plusDays(1));
      throw new IllegalStateException("the enclosing work fails after the prune");
    }));

    assertEquals(1L, countedElsewhere());
    assertEquals(false, pruned(FIRST_DAY));
    assertEquals(1L, store.pruneExported(FIRST_DAY.plusDays(1)), "the day is still due for pruning");
  }

  @Test
  void afterCommitRunsOnceTheOutermostTransactionCommittedAndSeesItsRows() {
    List<Long> seen = new ArrayList<>();

    store.inTransaction(() -> {
      store.stage(List.of(FIRST), List.of(), NOW, false);
      store.afterCommit(() -> seen.add(countedElsewhere()));
      store.stage(List.of(SECOND), List.of(), NOW, false);
      store.afterCommit(() -> seen.add(countedElsewhere()));
      assertTrue(seen.isEmpty(), "not told while the transaction is open");
      return null;
    });

    assertEquals(List.of(2L, 2L), seen);
  }

  @Test
  void afterCommitIsNeverRunWhenTheTransactionRollsBack() {
    List<String> told = new ArrayList<>();

    assertThrows(IllegalStateException.class, () -> store.inTransaction(() -> {
      store.stage(List.of(FIRST), List.of(), NOW, false);
      store.afterCommit(() -> told.add("rolled-back staging"));
      throw new IllegalStateException("the work fails after staging");
    }));
    store.inTransaction(() -> {
      store.stage(List.of(SECOND), List.of(), NOW, false);
      return null;
    });

    assertTrue(told.isEmpty(), "the rolled-back transaction's work is dropped, not carried into the next commit");
    assertEquals(1L, countedElsewhere());
  }

  @Test
  void afterCommitOutsideATransactionRunsAtOnce() {
    store.stage(List.of(FIRST), List.of(), NOW, false);
    List<Long> seen = new ArrayList<>();

    store.afterCommit(() -> seen.add(countedElsewhere()));

    assertEquals(List.of(1L), seen);
  }
}
