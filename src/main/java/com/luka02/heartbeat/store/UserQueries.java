package com.luka02.heartbeat.store;

import com.luka02.heartbeat.store.QueryException.Reason;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The SQL that users send: checked by {@link ReadOnlySql}, then run on a worker of its own, on a
 * duplicate connection inside a read-only transaction that is always rolled back. The caller gets
 * an answer by the time limit even when DuckDB cannot stop a function at once; the worker keeps its
 * slot until it has really finished, so slow queries can never take more than {@code slots} threads.
 */
public final class UserQueries implements AutoCloseable {
  private final QuerySurface reads;
  private final QueryLimits limits;
  private final Semaphore slots;
  private final ExecutorService workers;

  public UserQueries(StagingStore store, QueryLimits limits) {
    this.reads = store.reads();
    this.limits = limits;
    this.slots = new Semaphore(limits.slots());
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "query-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** The limits {@code config} sets for user queries. */
  public static QueryLimits limits(com.luka02.heartbeat.config.Config config) {
    return new QueryLimits(config.queryMaxRows(), (long) config.sqlLimits().queryMaxResultMb() << 20,
        config.queryTimeout(), config.sqlLimits().querySlots());
  }

  /** Runs one read-only statement within the limits, or throws a {@link QueryException} that says why not. */
  public QueryResult run(String sql) {
    String why;
    try (Connection c = reads.connection()) {
      why = ReadOnlySql.rejection(c, sql);
    } catch (SQLException e) {
      throw new QueryException("cannot check the statement: " + e.getMessage(), e);
    }
    if (why != null) {
      throw new QueryException(Reason.REFUSED, why, null);
    }
    if (!slots.tryAcquire()) {
      throw new QueryException(Reason.BUSY, "all " + limits.slots() + " query slots are busy with other "
          + "queries; try again in a few seconds", null);
    }
    Running running = new Running();
    Future<QueryResult> answer;
    try {
      answer = workers.submit(() -> {
        try {
          return execute(sql, running);
        } finally {
          slots.release();
        }
      });
    } catch (RejectedExecutionException e) {
      slots.release();
      throw new QueryException(Reason.BUSY, "the agent is shutting down", e);
    }
    return await(answer, running);
  }

  private QueryResult await(Future<QueryResult> answer, Running running) {
    try {
      return answer.get(limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      cancelAside(running);
      throw new QueryException(Reason.TIMED_OUT, "the query ran past its time limit of "
          + limits.timeout().toSeconds() + " s and was cancelled", null);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new QueryException(String.valueOf(e.getCause()), e.getCause());
    } catch (InterruptedException e) {
      cancelAside(running);
      Thread.currentThread().interrupt();
      throw new QueryException(Reason.TIMED_OUT, "the query was interrupted", e);
    }
  }

  /**
   * Cancels on a thread of its own: while DuckDB plans a statement (and folds a constant such as
   * {@code repeat('x', 1e9)} there) the driver's cancel waits for the connection's lock, and the
   * answer must not wait with it.
   */
  private void cancelAside(Running running) {
    try {
      workers.execute(running::cancel);
    } catch (RejectedExecutionException e) {
      running.cancelled = true; // shutting down: the store's close stops what still runs
    }
  }

  /** A query on its worker, so that the waiting thread can ask DuckDB to stop it. */
  private static final class Running {
    private volatile boolean cancelled;
    private volatile Statement statement;

    void cancel() {
      cancelled = true;
      Statement s = statement;
      if (s != null) {
        try {
          s.cancel(); // interrupts DuckDB while it executes; between rows the worker sees the flag
        } catch (SQLException | RuntimeException ignored) {
          // The statement finished or closed meanwhile: nothing is left to stop.
        }
      }
    }
  }

  private QueryResult execute(String sql, Running running) {
    try (Connection c = reads.connection(); Statement s = c.createStatement()) {
      // A duplicate copies the writer's autocommit, which is off during its transactions: turned on,
      // so that the driver begins no transaction of its own before ours.
      c.setAutoCommit(true);
      s.execute("BEGIN TRANSACTION READ ONLY");
      try {
        running.statement = s;
        if (running.cancelled) {
          throw new QueryException(Reason.TIMED_OUT, "the query ran past its time limit", null);
        }
        if (!s.execute(sql)) {
          throw new QueryException(ReadOnlySql.READ_ONLY + ", found a statement that returns no rows", null);
        }
        return rows(s.getResultSet(), running);
      } finally {
        running.statement = null;
        rollback(s);
      }
    } catch (SQLException e) {
      throw new QueryException(running.cancelled ? "the query ran past its time limit and was cancelled"
          : reads.explain(e), e);
    }
  }

  /** Nothing the query did is kept; a rollback that fails leaves it to closing the connection, which also rolls back. */
  private static void rollback(Statement s) {
    try {
      s.execute("ROLLBACK");
    } catch (SQLException ignored) {
      // The connection closes next, and DuckDB rolls back what is open on it.
    }
  }

  private QueryResult rows(ResultSet rs, Running running) throws SQLException {
    try (rs) {
      List<String> columns = Sql.columnLabels(rs);
      List<List<Object>> rows = new ArrayList<>();
      long bytes = 0;
      while (!running.cancelled && rs.next()) {
        if (rows.size() == limits.maxRows()) {
          return new QueryResult(columns, rows, true);
        }
        List<Object> row = new ArrayList<>(columns.size());
        for (int i = 1; i <= columns.size(); i++) {
          Object value = Values.toPlain(rs.getObject(i));
          bytes += size(value);
          row.add(value);
        }
        if (bytes > limits.maxBytes()) {
          throw new QueryException(Reason.TOO_LARGE, "the answer would be larger than " + limits.maxBytes()
              + " bytes (it passed that after " + rows.size() + " rows): select fewer columns or rows, "
              + "or aggregate in SQL", null);
        }
        rows.add(row);
      }
      if (running.cancelled) {
        throw new QueryException(Reason.TIMED_OUT, "the query ran past its time limit", null);
      }
      return new QueryResult(columns, rows, false);
    }
  }

  /** About what a value adds to the JSON answer; close enough to bound it, cheap enough to run per value. */
  private static long size(Object value) {
    if (value instanceof CharSequence s) {
      return s.length() + 2L;
    }
    if (value instanceof byte[] b) {
      return b.length * 2L;
    }
    if (value instanceof java.util.Collection<?> list) {
      long n = 2;
      for (Object o : list) {
        n += size(o) + 1;
      }
      return n;
    }
    if (value instanceof java.util.Map<?, ?> map) {
      long n = 2;
      for (var e : map.entrySet()) {
        n += size(e.getKey()) + size(e.getValue()) + 2;
      }
      return n;
    }
    return 8;
  }

  /** Stops the workers; a query still running is cancelled when its connection closes with the store. */
  @Override
  public void close() {
    workers.shutdownNow();
  }
}
