package com.luka02.heartbeat.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Statements an attacker would send, generated from every DuckDB statement type, each aimed at a
 * real target (the store, a Parquet day, the reports folder), dressed in every disguise that has
 * fooled a lexer: comments ended by {@code \r}, nested comments, escape strings, dollar strings,
 * semicolons hidden in each, and every spelling of EXPLAIN.
 */
final class AttackStatements {
  private AttackStatements() {}

  /** The writes, with {@code %store}, {@code %day}, {@code %reports} and {@code %dir} for real paths. */
  static final List<String> WRITES = List.of(
      "INSERT INTO heartbeats SELECT * FROM heartbeats",
      "INSERT OR REPLACE INTO agent_state VALUES ('x', 'y', now())",
      "UPDATE heartbeats SET status = 'error'",
      "DELETE FROM heartbeats",
      "TRUNCATE heartbeats",
      "DROP TABLE heartbeats",
      "DROP TABLE IF EXISTS exports",
      "CREATE TABLE evil AS SELECT 1 AS a",
      "CREATE OR REPLACE TABLE heartbeats AS SELECT 1 AS a",
      "CREATE VIEW evil AS SELECT 1",
      "CREATE SEQUENCE evil_seq",
      "CREATE MACRO evil(x) AS x + 1",
      "CREATE TYPE evil AS ENUM ('a')",
      "ALTER TABLE heartbeats DROP COLUMN summary",
      "ALTER TABLE heartbeats RENAME TO old",
      "COMMENT ON TABLE heartbeats IS 'evil'",
      "COPY heartbeats TO '%store' (FORMAT csv)",
      "COPY (SELECT 1 AS a) TO '%day' (FORMAT parquet)",
      "COPY (SELECT '# forged' AS a) TO '%reports/heartbeat_2026-11-22_10-00-00.md' (FORMAT csv, HEADER false)",
      "COPY heartbeats FROM '%dir/x.csv'",
      "EXPORT DATABASE '%dir/dump'",
      "IMPORT DATABASE '%dir/dump'",
      "ATTACH '%dir/evil.duckdb' AS evil",
      "ATTACH '%store' AS again",
      "DETACH staging",
      "USE memory",
      "SET enable_external_access = true",
      "SET GLOBAL allowed_directories = ['/']",
      "SET memory_limit = '100GB'",
      "SET VARIABLE v = 1",
      "RESET threads",
      "PRAGMA enable_profiling",
      "PRAGMA force_checkpoint",
      "CALL checkpoint()",
      "CHECKPOINT",
      "FORCE CHECKPOINT",
      "VACUUM",
      "VACUUM ANALYZE heartbeats",
      "ANALYZE",
      "INSTALL httpfs",
      "LOAD httpfs",
      "UPDATE EXTENSIONS",
      "BEGIN TRANSACTION",
      "COMMIT",
      "ROLLBACK",
      "ABORT",
      "PREPARE p AS DELETE FROM heartbeats",
      "EXECUTE p",
      "DEALLOCATE p",
      "CREATE SECRET s (TYPE s3, KEY_ID 'k', SECRET 's')",
      "PIVOT heartbeats ON status USING count(*)",
      "MERGE INTO heartbeats USING (SELECT 1) s ON false WHEN NOT MATCHED THEN INSERT DEFAULT VALUES",
      "SELECT * FROM checkpoint()",
      "FROM force_checkpoint()",
      "SELECT * FROM query('DELETE FROM heartbeats')",
      "SELECT * FROM query('SELECT * FROM checkpoint()')",
      "SELECT nextval('evil_seq')",
      "SELECT setseed(0.1)",
      "SELECT write_log('evil')",
      "SELECT * FROM enable_logging()",
      "SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT 1'))");

  /** Every spelling of EXPLAIN that runs, or claims to run, what follows it. */
  static final List<String> EXPLAINS = List.of("EXPLAIN ", "EXPLAIN ANALYZE ", "EXPLAIN ANALYSE ",
      "explain analyse ", "EXPLAIN (ANALYZE) ", "EXPLAIN (ANALYSE) ", "EXPLAIN (FORMAT json, ANALYZE) ",
      "EXPLAIN (ANALYZE true, FORMAT text) ", "EXPLAIN\r\nANALYZE\t");

  /** What goes before: nothing, comments of every kind, and statements that hide the next one. */
  static final List<String> PREFIXES = List.of("", " \t\r\n", "-- c\n", "-- c\r", "/* c */", "/* /* nested */ ; */",
      "/* ; DROP TABLE heartbeats; */ ", "SELECT 1;", "SELECT 1 --\r;", "SELECT 1 --\r\n;", "SELECT E'\\'';",
      "SELECT E'\\\\';", "SELECT $$;$$;", "SELECT $tag$ ; $ $tag$;", "SELECT ';' --\r;", "SELECT 1 /* ; */;",
      "SELECT '\\';", "SELECT \"a;b\" FROM (SELECT 1 AS \"a;b\");");

  /** What goes after: nothing, a terminator, and a COMMIT to keep whatever got through. */
  static final List<String> SUFFIXES = List.of("", ";", "; COMMIT", ";\r\nCOMMIT;", " -- \r; COMMIT", "; SELECT 1");

  /** {@code count} statements drawn from {@code seed}, aimed by {@code aim}; the same seed gives the same statements. */
  static List<String> generate(long seed, int count, UnaryOperator<String> aim) {
    Random random = new Random(seed);
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String write = aim.apply(pick(random, WRITES));
      String explain = random.nextInt(4) == 0 ? pick(random, EXPLAINS) : "";
      out.add(pick(random, PREFIXES) + explain + write + pick(random, SUFFIXES));
    }
    return out;
  }

  /** Aims the writes at {@code target}'s real store, day file, reports folder and archive. */
  static UnaryOperator<String> at(QueryTarget target) {
    return at(target.store().toString(), target.dayFile(QueryTarget.DAY1).toString(),
        target.config.reportsDir().toString(), target.config.parquetDir().toString());
  }

  static UnaryOperator<String> at(String store, String day, String reports, String dir) {
    return sql -> sql.replace("%store", store).replace("%day", day).replace("%reports", reports).replace("%dir", dir);
  }

  private static String pick(Random random, List<String> from) {
    return from.get(random.nextInt(from.size()));
  }
}
