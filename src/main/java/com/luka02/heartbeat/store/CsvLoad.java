package com.luka02.heartbeat.store;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bulk loads through DuckDB's parallel CSV reader, by way of a file in the store's work folder that
 * is removed afterwards: a year of rows loads several times faster than through JDBC.
 */
final class CsvLoad {
  private static final Logger log = LoggerFactory.getLogger(CsvLoad.class);

  private CsvLoad() {}

  /** Inserts CSV {@code lines} (each ending in a newline) into the temp table {@code table}. */
  static void into(Statement s, Path workFolder, String table, List<String> lines, String columns, String orderBy)
      throws SQLException {
    Path csv = workFolder.resolve(table + "-" + ProcessHandle.current().pid() + ".csv");
    try {
      long start = System.nanoTime();
      write(csv, lines);
      long written = System.nanoTime();
      s.execute("INSERT INTO " + table + " SELECT * FROM read_csv(" + Sql.literal(csv.toString())
          + ", columns = " + columns + ", header = false, auto_detect = false, delim = ',',"
          + " quote = '\"', escape = '\"', allow_quoted_nulls = false, strict_mode = true)" + orderBy);
      log.debug("{}: {} rows written in {} ms, loaded in {} ms", table, lines.size(), (written - start) / 1_000_000,
          (System.nanoTime() - written) / 1_000_000);
    } catch (IOException e) {
      throw new SQLException("cannot write " + csv + ": " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(csv);
      } catch (IOException ignored) {
        // Overwritten by the next load of this table.
      }
    }
  }

  private static void write(Path csv, List<String> lines) throws IOException {
    // The stream is closed on its own: when a full disk fails the writer's last flush, the JDK's
    // encoder skips closing what it wraps, and the file would stay open (deleted) for good.
    try (var raw = Files.newOutputStream(csv);
        var out = new BufferedWriter(new OutputStreamWriter(raw, StandardCharsets.UTF_8))) {
      for (String line : lines) {
        out.write(line);
      }
    }
  }
}
