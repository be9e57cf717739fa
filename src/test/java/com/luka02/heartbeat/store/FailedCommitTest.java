package com.luka02.heartbeat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A commit that fails leaves the store able to take the next one, without a restart. */
class FailedCommitTest {
  private static final Instant NOW = Instant.parse("2025-11-20T03:04:05Z");
  private static final ZoneId UTC = ZoneId.of("UTC");
  private static final StagedFile FIRST = Stores.real("heartbeat_2025-10-27_17-52-10.md");
  private static final StagedFile SECOND = Stores.real("heartbeat_2025-10-29_11-30-51.md");

  @TempDir Path root;

  /** Ends the transaction under the store's feet just before COMMIT, as a full disk does: DuckDB rolls back itself. */
  private static Transactions.Faults abortFirstCommits(int n) {
    AtomicInteger left = new AtomicInteger(n);
    return new Transactions.Faults() {
      @Override
      public void beforeCommit(Statement s) throws SQLException {
        if (left.getAndDecrement() > 0) {
          s.execute("ROLLBACK");
        }
      }
    };
  }

  private StagingStore open(Transactions.Faults faults) {
    Path db = root.resolve("staging.duckdb");
    return StagingStore.open(db, UTC, List.of(root), faults);
  }

  @Test
  void stageAfterACommitThatFoundNoTransactionSucceeds() {
    try (StagingStore store = open(abortFirstCommits(2))) {
      assertThrows(StoreException.class, () -> store.stage(List.of(FIRST), List.of(), NOW, false));
      assertThrows(StoreException.class, () -> store.stage(List.of(FIRST), List.of(), NOW, false));

      store.stage(List.of(FIRST), List.of(), NOW, false);
      store.stage(List.of(SECOND), List.of(), NOW, false);

      assertEquals(2L, Stores.value(store, "SELECT count(*) FROM heartbeats"));
    }
  }

  @Test
  void catchUpTransactionAfterAFailedCommitCommitsAsAWhole() {
    try (StagingStore store = open(abortFirstCommits(1))) {
      assertThrows(StoreException.class, () -> store.inTransaction(() -> store.stage(List.of(FIRST), List.of(), NOW, false)));

      // A statement outside our transactions must not find one left open: a later failure rolls back both stages.
      assertThrows(IllegalStateException.class, () -> store.inTransaction(() -> {
        store.stage(List.of(FIRST), List.of(), NOW, false);
        store.stage(List.of(SECOND), List.of(), NOW, false);
        throw new IllegalStateException("No commit for you!");
      }));
      assertEquals(0L, Stores.value(store, "SELECT count(*) FROM heartbeats"));

      store.inTransaction(() -> store.stage(List.of(FIRST, SECOND), List.of(), NOW, false));
      assertEquals(2L, Stores.value(store, "SELECT count(*) FROM heartbeats"));
    }
  }

  @Test
  void failureIsReportedUntilStagingSucceedsAgain() {
    try (StagingStore store = open(abortFirstCommits(1))) {
      assertNull(store.stagingFailure());
      assertThrows(StoreException.class, () -> store.stage(List.of(FIRST), List.of(), NOW, false));
      assertNotNull(store.stagingFailure());

      store.putState(StateKey.AGENT_ALIVE_AT, "x", NOW);
      assertNotNull(store.stagingFailure(), "only staging proves staging works");

      store.stage(List.of(FIRST), List.of(), NOW, false);
      assertNull(store.stagingFailure());
    }
  }

  @Test
  void pruneAfterAFailedCommitLeavesRowsAndWorksNextTime() {
    try (StagingStore store = open(abortFirstCommits(0))) {
      store.stage(List.of(FIRST), List.of(), NOW, false);
      assertTrue(store.stagingFailure() == null);
    }
    try (StagingStore store = open(abortFirstCommits(1))) {
      assertThrows(StoreException.class, () -> store.pruneExported(NOW.atZone(UTC).toLocalDate()));
      assertEquals(0L, store.pruneExported(NOW.atZone(UTC).toLocalDate()), "no export recorded: nothing to prune");
      assertEquals(1L, Stores.value(store, "SELECT count(*) FROM heartbeats"));
    }
  }
}
