package com.luka02.heartbeat.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The report columns of {@code heartbeats}, read once from {@code schema.sql}: the DDL that DuckDB
 * applies is the one place they are written down, and every list in Java (the view, the exports,
 * the CSV bulk load) is derived from it here.
 */
final class Columns {
  /** One column of the table, with its declared SQL type. */
  record Column(String name, String type) {}

  // Before the lists below: static fields are set in the order they are written.
  private static final Pattern TABLE =
      Pattern.compile("CREATE TABLE IF NOT EXISTS heartbeats \\((.*?)\\n\\);", Pattern.DOTALL);
  private static final Pattern COLUMN = Pattern.compile("^\\s*\"?([a-z_]+)\"?\\s+([A-Z]+)");

  /** The bookkeeping column: in the table, never in a report, a view or a Parquet file. */
  static final String CHANGE_SEQ = "change_seq";
  /** The text of {@code schema.sql}. */
  static final String SCHEMA_SQL = read();
  /** Every report column of {@code heartbeats}, in table order, without {@link #CHANGE_SEQ}. */
  static final List<Column> HEARTBEATS = heartbeats(SCHEMA_SQL);

  private Columns() {}

  /** The names of {@link #HEARTBEATS}. */
  static List<String> names() {
    return HEARTBEATS.stream().map(Column::name).toList();
  }

  private static String read() {
    try (InputStream in = Columns.class.getResourceAsStream("schema.sql")) {
      if (in == null) {
        throw new StoreException("schema.sql missing from the jar", null);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StoreException("schema.sql cannot be read from the jar: " + e.getMessage(), e);
    }
  }

  /** The columns of the heartbeats CREATE TABLE: one per line, name then type, comments ignored. */
  static List<Column> heartbeats(String schema) {
    Matcher table = TABLE.matcher(schema);
    if (!table.find()) {
      throw new IllegalStateException("schema.sql: expected 'CREATE TABLE IF NOT EXISTS heartbeats (' ... '\\n);'");
    }
    List<Column> out = new ArrayList<>();
    for (String line : table.group(1).split("\\n")) {
      Matcher c = COLUMN.matcher(line.replaceAll("--.*$", ""));
      if (c.find() && !c.group(1).equals(CHANGE_SEQ)) {
        out.add(new Column(c.group(1), c.group(2)));
      }
    }
    return List.copyOf(out);
  }
}
