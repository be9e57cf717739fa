package com.luka02.heartbeat.store;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The reads of the staging store that are safe on any thread, beside the writer: each runs on a
 * connection of its own. Code that runs off the writer thread (HTTP handlers, the status page,
 * {@code status}) takes this type, never {@link StagingStore}, whose other methods are the writer's.
 */
public interface StoreReader {
  /** How long {@link #query(String, int)} and the status page's reads may run. */
  Duration TIMEOUT = Duration.ofSeconds(30);

  /** The figures {@code status} prints. */
  StoreStats stats(LocalDate today);

  /** The ledger, newest day first, at most {@code limit} entries. */
  List<ExportRecord> exports(int limit);

  /** Which days are staged and which only in Parquet, for {@code status}. */
  HistorySpan historySpan();

  /** A named fact and when it was set, or null. */
  Map.Entry<String, Instant> state(StateKey key);

  /** Why staging last failed, or null once a staging transaction has committed since. */
  String stagingFailure();

  /**
   * Runs one statement on a connection of its own, inside a transaction that is always rolled back,
   * and returns at most {@code maxRows} rows. Whatever the statement changed is undone. For the
   * product's own SQL only: what users send goes through {@link UserQueries}, which checks it first.
   */
  QueryResult query(String sql, int maxRows, Duration timeout);

  /** As {@link #query(String, int, Duration)} with the {@link #TIMEOUT}. */
  default QueryResult query(String sql, int maxRows) {
    return query(sql, maxRows, TIMEOUT);
  }

  /** Reports from {@code from} to {@code to}, oldest first: epoch ms, filename, status, checks JSON, duration. */
  QueryResult reportsBetween(Instant from, Instant to, int maxRows);

  /** The newest report in full: epoch ms, filename, status, duration, checks JSON, summary, path, ingested (ms). */
  QueryResult latestReport();

  /** When the newest report's status began: the first report after the last one with another status; null without reports. */
  Instant statusSince();

  /** The newest quarantine entries, at most {@code limit}: path, reason, line, epoch ms seen. */
  QueryResult quarantineList(int limit);
}
