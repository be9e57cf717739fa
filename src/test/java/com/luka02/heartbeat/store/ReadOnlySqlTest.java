package com.luka02.heartbeat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The gate alone, on DuckDB's parser (an in-memory database: parsing needs no store). */
class ReadOnlySqlTest {
  private static Connection duck;

  @BeforeAll
  static void open() throws SQLException {
    duck = DriverManager.getConnection("jdbc:duckdb:");
  }

  @AfterAll
  static void close() throws SQLException {
    duck.close();
  }

  private static String why(String sql) {
    return ReadOnlySql.rejection(duck, sql);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT * FROM heartbeats",
      "  select 1;",
      "WITH x AS (SELECT 1) SELECT * FROM x",
      "DESCRIBE heartbeats",
      "SHOW TABLES",
      "SUMMARIZE heartbeats",
      "FROM heartbeats LIMIT 1",
      "VALUES (1), (2)",
      "TABLE heartbeats",
      "SELECT 1 UNION ALL SELECT 2",
      "-- a comment\nSELECT 1",
      "/* ; DROP TABLE x */ SELECT 1",
      "SELECT 'a;b', \"we;ird\" FROM (SELECT 1 AS \"we;ird\")",
      "SELECT $$ ; DELETE $$",
      "SELECT * FROM read_parquet('g/analytics/*.parquet', union_by_name = true)",
      "SELECT * FROM duckdb_tables()",
      "SELECT * FROM range(10) r, generate_series(1, 3) g",
      "SELECT * FROM pragma_table_info('heartbeats')",
      "SELECT unnest([1, 2])"})
  void readOnlyStatementsPass(String sql) {
    assertNull(why(sql), sql);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "INSERT INTO heartbeats VALUES (1)", "UPDATE heartbeats SET status = 'ok'", "DELETE FROM heartbeats",
      "DROP TABLE heartbeats", "CREATE TABLE x (a INT)", "ALTER TABLE heartbeats ADD COLUMN x INT",
      "COPY heartbeats TO '/tmp/x.csv'", "EXPORT DATABASE '/tmp/x'", "IMPORT DATABASE '/tmp/x'",
      "ATTACH '/tmp/x.duckdb'", "DETACH x", "SET threads = 1", "RESET threads", "PRAGMA version",
      "INSTALL httpfs", "LOAD httpfs", "CALL pragma_version()", "CHECKPOINT",
      "SELECT 1; DROP TABLE heartbeats",
      "SELECT '--'; DROP TABLE heartbeats",
      "SELECT 1 /* */; DELETE FROM heartbeats",
      "EXPLAIN ANALYZE DELETE FROM heartbeats",
      "SELECT 'unterminated",
      "", "   ", "-- only a comment"})
  void writesSeveralStatementsAndNonsenseAreRefusedWithAReason(String sql) {
    String why = why(sql);
    assertNotNull(why, sql);
    assertTrue(why.startsWith("expected"), why);
  }

  @Test
  void twoSelectsAreCountedAsTwoStatements() {
    assertEquals("expected one statement, found 2 (';' separates statements)", why("SELECT 1; SELECT 2"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"EXPLAIN SELECT 1", "explain analyse SELECT 1", "/* x */ EXPLAIN (FORMAT json) SELECT 1"})
  void explainIsNotServedInAnySpelling(String sql) {
    String why = why(sql);
    assertTrue(why.contains("EXPLAIN, which is not served"), why);
  }

  @ParameterizedTest
  @ValueSource(strings = {"checkpoint", "force_checkpoint", "query", "json_execute_serialized_sql", "enable_logging"})
  void tableFunctionsOffTheListAreRefusedByName(String name) {
    String why = why("SELECT * FROM " + name + "('SELECT 1')");
    assertTrue(why.contains("table function " + name + "()"), why);
  }

  @ParameterizedTest
  @ValueSource(strings = {"SELECT nextval('s')", "SELECT setseed(0.5)", "SELECT * FROM range(3) WHERE write_log('x') IS NULL"})
  void scalarFunctionsThatChangeStateAreRefused(String sql) {
    String why = why(sql);
    assertTrue(why.contains("which changes state"), why);
  }

  @Test
  void aTableFunctionHiddenInASubqueryIsFound() {
    String why = why("SELECT (SELECT count(*) FROM (FROM checkpoint())) AS n");
    assertTrue(why.contains("checkpoint()"), why);
  }
}
