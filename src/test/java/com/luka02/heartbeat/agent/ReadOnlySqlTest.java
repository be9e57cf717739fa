package com.luka02.heartbeat.agent;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReadOnlySqlTest {
  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT * FROM heartbeats",
      "  select 1;",
      "WITH x AS (SELECT 1) SELECT * FROM x",
      "DESCRIBE heartbeats",
      "SHOW TABLES",
      "SUMMARIZE heartbeats",
      "EXPLAIN SELECT 1",
      "FROM heartbeats LIMIT 1",
      "-- a comment\nSELECT 1",
      "/* ; DROP TABLE x */ SELECT 1",
      "SELECT 'a;b', \"we;ird\" FROM (SELECT 1 AS \"we;ird\")",
      "SELECT $$ ; DELETE $$"})
  void readOnlyStatementsPass(String sql) {
    assertNull(ReadOnlySql.rejection(sql), sql);
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
    String why = ReadOnlySql.rejection(sql);
    assertNotNull(why, sql);
    assertTrue(why.startsWith("expected"), why);
  }
}
