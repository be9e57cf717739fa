package com.luka02.heartbeat.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.luka02.heartbeat.io.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gate in front of the query surface, decided by DuckDB's own parser: a statement passes only
 * when {@code json_serialize_sql} (which serializes SELECT statements and nothing else) accepts it
 * as exactly one statement, and every table function it calls is one that only reads. There is no
 * second parser here to disagree with DuckDB about comments, quotes or statement boundaries.
 */
public final class ReadOnlySql {
  /** What may stand in a FROM clause: readers, generators and catalog views, none with a side effect. */
  static final Set<String> TABLE_FUNCTIONS = Set.of(
      "read_parquet", "parquet_scan", "parquet_metadata", "parquet_schema", "parquet_file_metadata",
      "parquet_kv_metadata", "parquet_full_metadata", "parquet_bloom_probe",
      "read_csv", "read_csv_auto", "sniff_csv", "read_json", "read_json_auto", "read_json_objects",
      "read_json_objects_auto", "read_ndjson", "read_ndjson_auto", "read_ndjson_objects", "json_each", "json_tree",
      "read_text", "read_blob", "glob", "range", "generate_series", "unnest", "repeat", "repeat_row",
      "summary", "histogram", "histogram_values", "pg_timezone_names", "icu_calendar_names",
      "duckdb_approx_database_count", "duckdb_columns", "duckdb_connection_count", "duckdb_constraints",
      "duckdb_databases", "duckdb_dependencies", "duckdb_extensions", "duckdb_functions", "duckdb_indexes",
      "duckdb_keywords", "duckdb_memory", "duckdb_optimizers", "duckdb_schemas", "duckdb_sequences",
      "duckdb_settings", "duckdb_tables", "duckdb_temporary_files", "duckdb_types", "duckdb_variables",
      "duckdb_views", "pragma_table_info", "pragma_database_size", "pragma_storage_info",
      "pragma_metadata_info", "pragma_version", "pragma_platform", "pragma_show", "pragma_collations",
      "pragma_user_agent");
  /** Scalar functions that change state (a sequence, the random seed, the log), refused wherever they appear. */
  static final Set<String> SIDE_EFFECTS = Set.of("nextval", "setseed", "write_log");
  /** Why some table functions are refused, beyond "not on the list". */
  private static final Map<String, String> WHY = Map.of(
      "checkpoint", "it writes the database file",
      "force_checkpoint", "it writes the database file",
      "query", "it runs SQL given as a string, which this gate cannot see",
      "query_table", "it reads tables named by a string, which this gate cannot see",
      "json_execute_serialized_sql", "it runs SQL given as a string, which this gate cannot see");
  static final String READ_ONLY =
      "expected a read-only statement (one SELECT, WITH, FROM, VALUES, TABLE, DESCRIBE, SHOW or SUMMARIZE)";
  private static final String NOT_SELECT = "Only SELECT statements can be serialized";
  /** The first word, for the message only: the decision is DuckDB's, the wording is ours. */
  private static final Pattern FIRST_WORD =
      Pattern.compile("\\A(?:\\s|--[^\\n]*(?:\\n|\\z)|/\\*(?s:.*?)\\*/)*([A-Za-z_]+)");
  private ReadOnlySql() {}

  /** Null when DuckDB parses {@code sql} as one read-only SELECT; otherwise why not, for a 400 answer. */
  public static String rejection(Connection c, String sql) {
    if (sql == null || sql.isBlank()) {
      return "expected one read-only SQL statement, found nothing";
    }
    JsonNode parsed = parse(c, sql);
    if (parsed.path("error").asBoolean(true)) {
      return refusal(sql, parsed.path("error_message").asText(""));
    }
    int statements = parsed.path("statements").size();
    if (statements == 0) {
      return "expected one read-only SQL statement, found nothing";
    }
    if (statements > 1) {
      return "expected one statement, found " + statements + " (';' separates statements)";
    }
    return functions(parsed.path("statements"));
  }

  private static JsonNode parse(Connection c, String sql) {
    try (PreparedStatement ps = c.prepareStatement("SELECT json_serialize_sql(?::VARCHAR)")) {
      ps.setString(1, sql);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return Json.mapper().readTree(rs.getString(1));
      }
    } catch (SQLException | java.io.IOException e) {
      throw new QueryException("cannot check the statement: " + e.getMessage(), e);
    }
  }

  private static String refusal(String sql, String duckdb) {
    if (!duckdb.contains(NOT_SELECT)) {
      return "expected a complete read-only statement, found one DuckDB cannot parse: " + duckdb.strip();
    }
    Matcher m = FIRST_WORD.matcher(sql);
    String first = m.lookingAt() ? m.group(1).toUpperCase(Locale.ROOT) : "";
    if (first.equals("EXPLAIN")) {
      return READ_ONLY + ", found EXPLAIN, which is not served: EXPLAIN ANALYZE runs the statement it "
          + "explains, and a plan is not worth that risk";
    }
    return READ_ONLY + ", found " + (first.isEmpty() ? "a statement" : first)
        + " (or several statements, one of them not a SELECT)";
  }

  /** Walks the parsed tree: every table function on the list, no scalar function with a side effect. */
  private static String functions(JsonNode node) {
    if (node.isObject()) {
      if ("TABLE_FUNCTION".equals(node.path("type").asText())) {
        String name = name(node.path("function"));
        if (!TABLE_FUNCTIONS.contains(name)) {
          return READ_ONLY + ", found the table function " + name + "(), which is not served"
              + (WHY.containsKey(name) ? ": " + WHY.get(name) : " (only functions that read are)");
        }
      } else if ("FUNCTION".equals(node.path("class").asText()) && SIDE_EFFECTS.contains(name(node))) {
        return READ_ONLY + ", found " + name(node) + "(), which changes state";
      }
    }
    for (JsonNode child : node) {
      String why = functions(child);
      if (why != null) {
        return why;
      }
    }
    return null;
  }

  private static String name(JsonNode function) {
    return function.path("function_name").asText("").toLowerCase(Locale.ROOT);
  }
}
