package com.luka02.heartbeat.io;

import java.util.Map;

/**
 * What one thread worked out lately, by its input, within a budget: when the weights of what it holds
 * (characters, bytes) would pass the budget, it forgets everything and starts again. A result heavier
 * than a sixteenth of the budget is not kept. Not thread-safe: each thread keeps its own, in a
 * {@link ThreadLocal}. A catch-up's reports repeat most of their checks from the report before, so a
 * reader thread that keeps what it worked out for them does that work once.
 */
public final class RecentResults<K, V> {
  private final Map<K, V> results;
  private final long budget;
  private long held;

  /** Keeps results in {@code results} (a {@code HashMap}, or an {@code IdentityHashMap} to key by identity). */
  public RecentResults(Map<K, V> results, long budget) {
    this.results = results;
    this.budget = budget;
  }

  /** The result kept for {@code input}, or null. */
  public V get(K input) {
    return results.get(input);
  }

  /** Keeps {@code result} for {@code input}, {@code weight} counting against the budget. */
  public void put(K input, V result, long weight) {
    if (weight > budget / 16) {
      return;
    }
    if (held + weight > budget) {
      results.clear();
      held = 0;
    }
    results.put(input, result);
    held += weight;
  }
}
