package com.luka02.heartbeat.store;

import java.time.Duration;

/**
 * What one user query may take: rows and bytes of answer, time, and how many may run at once.
 *
 * @param maxRows rows returned at most; more are cut and the answer says it was truncated
 * @param maxBytes an answer's values add up to at most this many bytes, or the query is refused
 * @param timeout the answer comes by then, whether or not DuckDB has stopped
 * @param slots queries running at once; one more is refused as busy
 */
public record QueryLimits(int maxRows, long maxBytes, Duration timeout, int slots) {
  /** Limits for tests and tools: 1,000 rows, 16 MiB, 30 s, 2 slots. */
  public static final QueryLimits DEFAULT = new QueryLimits(1_000, 16L << 20, Duration.ofSeconds(30), 2);
}
