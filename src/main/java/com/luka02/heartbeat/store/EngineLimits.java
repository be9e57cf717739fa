package com.luka02.heartbeat.store;

/**
 * What the whole DuckDB instance may use: the agent's own staging and exports and every user
 * query share it, since DuckDB sets memory and threads per database, not per connection.
 *
 * @param memoryLimitMb DuckDB's {@code memory_limit}; work beyond it spills to the store's work folder
 * @param threads DuckDB's {@code threads}
 */
public record EngineLimits(int memoryLimitMb, int threads) {
  /** 512 MB and 2 threads: a year's catch-up fits, and an 8 GB laptop keeps its memory and cores. */
  public static final EngineLimits DEFAULT = new EngineLimits(512, 2);
  /** Spill space DuckDB may take on disk, so that a query cannot fill the disk the reports live on. */
  static final String MAX_SPILL = "4GiB";
}
