package com.luka02.heartbeat.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The view {@code all_heartbeats}: every report ever staged, whether its row is still in
 * {@code heartbeats} or only in its day's Parquet file.
 *
 * <p>It is the staged rows, plus the rows of pruned days' Parquet files whose timestamp is not
 * staged. A day's file joins the view in the same transaction that prunes its rows, so a reader sees
 * each report exactly once before, during and after a prune; a late report for a pruned day is
 * staged and wins over the file until the re-export holds it too. DuckDB's {@code read_parquet}
 * needs its file list when the statement is bound, so the view is rewritten, on the writer, whenever
 * the list changes: at open, on prune, on export and when an export is forgotten.
 */
final class HistoryView {
  /** The one name for all history. */
  static final String NAME = "all_heartbeats";
  private static final Logger log = LoggerFactory.getLogger(HistoryView.class);

  private HistoryView() {}

  /**
   * The view over the staged rows and {@code files}. Only files that exist are listed, since one
   * missing file would fail every query of the view; a missing one is logged.
   */
  static String definition(List<Path> files) {
    String columns = String.join(", ", Sql.quoted(Columns.names()));
    StringBuilder sql = new StringBuilder("CREATE OR REPLACE VIEW " + NAME + " AS SELECT " + columns + " FROM heartbeats");
    List<String> present = new ArrayList<>();
    for (Path f : files) {
      if (Files.isRegularFile(f)) {
        present.add(Sql.literal(f.toAbsolutePath().normalize().toString()));
      } else {
        log.warn("{} is missing: the reports of its day, pruned from staging, are not in {}", f, NAME);
      }
    }
    if (present.isEmpty()) {
      return sql.toString();
    }
    // Explicit columns and union_by_name: an earlier hive layout added a host column, and a file written
    // by a later version may hold more columns; the view keeps the staging table's shape. BY NAME against
    // the table's empty shape: lean files hold no provenance columns, which are NULL for their rows.
    String parquetColumns = columns.replace("\"checks\"", "\"checks\"::JSON AS checks");
    sql.append(" UNION ALL SELECT ").append(parquetColumns)
        .append(" FROM (SELECT * FROM heartbeats WHERE false UNION ALL BY NAME SELECT * FROM read_parquet([")
        .append(String.join(", ", present))
        .append("], union_by_name = true, hive_partitioning = false)) p")
        .append(" WHERE NOT EXISTS (SELECT 1 FROM heartbeats h WHERE h.\"timestamp\" = p.\"timestamp\")");
    return sql.toString();
  }
}
