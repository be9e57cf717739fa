package com.luka02.heartbeat.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.luka02.heartbeat.report.Check;
import com.luka02.heartbeat.report.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One report as the status page reads it back, typed where the store's rows are only positions. The
 * statuses are parsed here, at the edge: a spelling this tool never writes names the report and the
 * spellings expected, instead of drawing a cell no legend explains.
 *
 * @param durationMs null when the report stated none
 * @param summary null in the rows of {@link #timeline}, which do not read it; likewise
 *     {@code sourcePath} and {@code ingestedAt}
 */
public record ReportRow(Instant at, String filename, Status status, Integer durationMs, List<Check> checks,
    String summary, String sourcePath, Instant ingestedAt) {
  private static final TypeReference<List<Check>> CHECKS = new TypeReference<>() {};

  /** The rows of {@link StagingStore#reportsBetween}: at, filename, status, checks JSON, duration. */
  public static List<ReportRow> timeline(QueryResult r, ObjectMapper json) {
    List<ReportRow> rows = new ArrayList<>(r.rows().size());
    for (List<Object> row : r.rows()) {
      String file = (String) row.get(1);
      rows.add(new ReportRow(instant(row.get(0)), file, status(row.get(2), file), integer(row.get(4)),
          checks(row.get(3), file, json), null, null, null));
    }
    return rows;
  }

  /**
   * The row of {@link StagingStore#latestReport}: at, filename, status, duration, checks JSON, summary,
   * path, ingested; null when there is no report.
   */
  public static ReportRow latest(QueryResult r, ObjectMapper json) {
    if (r.rows().isEmpty()) {
      return null;
    }
    List<Object> row = r.rows().get(0);
    String file = (String) row.get(1);
    return new ReportRow(instant(row.get(0)), file, status(row.get(2), file), integer(row.get(3)),
        checks(row.get(4), file, json), (String) row.get(5), (String) row.get(6), instant(row.get(7)));
  }

  private static Status status(Object value, String file) {
    try {
      return Status.fromWire((String) value);
    } catch (IllegalArgumentException e) {
      throw new StoreException("the stored report " + file + ": " + e.getMessage(), e);
    }
  }

  private static List<Check> checks(Object value, String file, ObjectMapper json) {
    if (value == null) {
      return List.of();
    }
    try {
      return json.readValue(value.toString(), CHECKS);
    } catch (JsonProcessingException e) {
      throw new StoreException("the stored checks of " + file + " are not what this tool writes: "
          + e.getOriginalMessage(), e);
    }
  }

  private static Instant instant(Object epochMs) {
    return epochMs == null ? null : Instant.ofEpochMilli(((Number) epochMs).longValue());
  }

  private static Integer integer(Object n) {
    return n == null ? null : ((Number) n).intValue();
  }
}
