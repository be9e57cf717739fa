package com.luka02.heartbeat.serve;

import com.luka02.heartbeat.store.QueryResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a result cut at {@code queryMaxRows} says so: a response header, and a marker in the body
 * that a reader of the rows alone cannot miss.
 */
public final class Truncation {
  /** Present, with the row count, only on a cut result. */
  public static final String HEADER = "X-Heartbeat-Truncated";

  private Truncation() {}

  /** The sentence every shape carries. */
  public static String message(QueryResult r) {
    return "result cut at " + r.rows().size() + " rows (queryMaxRows): narrow the query or raise queryMaxRows";
  }

  /** The object appended as the last element of a JSON array of rows. */
  public static Map<String, Object> marker(QueryResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("_truncated", true);
    m.put("_rows", r.rows().size());
    m.put("_message", message(r));
    return m;
  }
}
