package com.luka02.heartbeat.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of the quarantine as the status page lists it.
 *
 * @param line 1-based line of the problem; null (or 0) when it concerns the whole file
 */
public record QuarantineRow(String path, String reason, Integer line, Instant seenAt) {
  /** The rows of {@link StagingStore#quarantineList}: path, reason, line, epoch ms seen. */
  public static List<QuarantineRow> of(QueryResult r) {
    List<QuarantineRow> rows = new ArrayList<>(r.rows().size());
    for (List<Object> row : r.rows()) {
      rows.add(new QuarantineRow((String) row.get(0), (String) row.get(1), row.get(2) == null ? null : ((Number) row.get(2)).intValue(),
          Instant.ofEpochMilli(((Number) row.get(3)).longValue())));
    }
    return rows;
  }
}
