package com.luka02.heartbeat.store;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The writer's transactions, and what they prove: the last staging failure until a staging
 * transaction commits, and the work promised to run once the outermost transaction has committed.
 * Writer thread only, except {@link #stagingFailure}.
 */
final class Transactions {
  /** Work against the writer's connection. */
  @FunctionalInterface
  interface SqlWork<T> {
    T run() throws SQLException;
  }

  /** Points where tests make a commit fail at the worst moment; production uses {@link #NO_FAULTS}. */
  interface Faults {
    /** Runs on the writer's connection just before {@code COMMIT}. */
    default void beforeCommit(Statement s) throws SQLException {}
  }

  static final Faults NO_FAULTS = new Faults() {};

  private final Database db;
  private final Faults faults;
  /** A transaction of ours is open on the writer's connection. */
  private boolean open;
  /** The open transaction staged reports, so its commit proves staging works. */
  private boolean staging;
  /** Told after the open transaction commits; dropped when it rolls back. */
  private final List<Runnable> afterCommit = new ArrayList<>();
  /** Why the last staging attempt failed, until one succeeds; read by {@code /health}. */
  private volatile String stagingFailure;

  Transactions(Database db, Faults faults) {
    this.db = db;
    this.faults = faults;
  }

  /**
   * Runs {@code work} in a transaction of its own, or inside the caller's when one is open; only
   * the outermost transaction commits. The transaction is driven with plain BEGIN/COMMIT/ROLLBACK
   * and JDBC autocommit stays on: after a failed COMMIT (a full disk) DuckDB has already ended the
   * transaction, and the driver's own bookkeeping then believed one was still open, so every later
   * commit failed until a restart. Whatever happens, the connection leaves here outside any
   * transaction. For the same reason no statement here is batched: the driver wraps a batch in a
   * BEGIN of its own.
   */
  <T> T run(String what, SqlWork<T> work) {
    if (open) {
      try {
        return work.run();
      } catch (SQLException e) {
        throw db.fail(what, e);
      }
    }
    db.heal();
    T result = outermost(what, work);
    tellCommitted();
    return result;
  }

  private <T> T outermost(String what, SqlWork<T> work) {
    boolean committed = false;
    try (Statement s = db.writer().createStatement()) {
      s.execute("BEGIN TRANSACTION");
      open = true;
      staging = false;
      T result = work.run();
      faults.beforeCommit(s);
      s.execute("COMMIT");
      committed = true;
      if (staging) {
        stagingFailure = null;
      }
      return result;
    } catch (SQLException e) {
      throw writeFailed(what, e);
    } catch (RuntimeException | Error e) {
      if (staging || e instanceof StoreException) {
        noteFailure(e.getMessage());
      }
      throw e;
    } finally {
      if (open && !committed) {
        rollbackQuietly();
      }
      if (!committed) {
        afterCommit.clear();
      }
      open = false;
      staging = false;
    }
  }

  /** Marks the open transaction as one that stages reports. */
  void staging() {
    staging = true;
  }

  /**
   * Runs {@code told} once the open transaction has committed, or now when none is open; when the
   * transaction rolls back it is never run.
   */
  void afterCommit(Runnable told) {
    if (open) {
      afterCommit.add(told);
    } else {
      told.run();
    }
  }

  private void tellCommitted() {
    List<Runnable> due = List.copyOf(afterCommit);
    afterCommit.clear();
    for (Runnable r : due) {
      r.run();
    }
  }

  /** Why staging last failed, or null once a staging transaction has committed since. */
  String stagingFailure() {
    return stagingFailure;
  }

  private StoreException writeFailed(String what, SQLException e) {
    StoreException failure = db.fail(what, e);
    noteFailure(failure.getMessage());
    return failure;
  }

  private void noteFailure(String message) {
    stagingFailure = message == null ? "the staging store refused a write" : message;
  }

  private void rollbackQuietly() {
    try (Statement s = db.writer().createStatement()) {
      s.execute("ROLLBACK");
    } catch (SQLException ignored) {
      // After a failed COMMIT DuckDB has rolled back already ("no transaction is active"); the
      // original failure is what the caller reports.
    }
  }
}
