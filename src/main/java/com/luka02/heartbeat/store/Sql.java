package com.luka02.heartbeat.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Small SQL helpers shared by the store's parts: literals, quoted names, instants, one-value counts. */
final class Sql {
  private Sql() {}

  static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /** Each name in double quotes, for a SELECT list. */
  static List<String> quoted(List<String> names) {
    List<String> out = new ArrayList<>(names.size());
    for (String n : names) {
      out.add('"' + n + '"');
    }
    return out;
  }

  /** DuckDB knows region ids and {@code UTC+07:00}, not Java's bare offsets such as {@code Z} or {@code +07:00}. */
  static String duckTimeZone(ZoneId zone) {
    ZoneId z = zone.normalized();
    if (z instanceof ZoneOffset offset) {
      return literal(offset.getTotalSeconds() == 0 ? "UTC" : "UTC" + offset.getId());
    }
    return literal(z.getId());
  }

  static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  /** The single number {@code sql} selects. */
  static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The result's column labels, in order. */
  static List<String> columnLabels(ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    List<String> columns = new ArrayList<>(md.getColumnCount());
    for (int i = 1; i <= md.getColumnCount(); i++) {
      columns.add(md.getColumnLabel(i));
    }
    return columns;
  }
}
