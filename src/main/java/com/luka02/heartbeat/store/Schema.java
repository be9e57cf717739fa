package com.luka02.heartbeat.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every open does to the file and the connection: the schema and its migrations (from
 * {@code schema.sql}), the staging temp tables, the engine's limits and file-access lockdown, and
 * moving report days when the configured zone changed.
 */
final class Schema {
  /**
   * What one staging transaction brings: rows loaded from CSV, with their files' size and mtime.
   * Always recreated, never emptied with DELETE: DuckDB keeps a temp table's memory after a DELETE,
   * which made a long-running agent grow with every reconcile.
   */
  static final String EMPTY_INCOMING = "CREATE OR REPLACE TEMP TABLE incoming AS SELECT * EXCLUDE ("
      + Columns.CHANGE_SEQ + "), 0::BIGINT AS size, 0::BIGINT AS mtime_ms FROM heartbeats LIMIT 0";
  /** The log size at which DuckDB checkpoints on its own (its default is 16 MB). */
  static final String CHECKPOINT_THRESHOLD = "4MB";
  private static final Logger log = LoggerFactory.getLogger(Schema.class);

  private Schema() {}

  /** Applies {@code schema.sql} (each statement idempotent) and makes the staging temp tables. */
  static void apply(Database db) {
    try (Statement s = db.writer().createStatement()) {
      for (String statement : Columns.SCHEMA_SQL.split(";\\s*\\n")) {
        if (!statement.replaceAll("(?m)--.*$", "").isBlank()) {
          s.execute(statement);
        }
      }
      s.execute(EMPTY_INCOMING);
      s.execute("CREATE OR REPLACE TEMP VIEW incoming_rows AS SELECT * EXCLUDE (size, mtime_ms) FROM incoming");
      s.execute("CREATE OR REPLACE TEMP VIEW incoming_seen AS SELECT source_path AS path, size, mtime_ms, "
          + "content_hash, \"timestamp\" AS report_ts, ingested_at AS seen_at FROM incoming");
    } catch (SQLException e) {
      throw db.fail("apply the schema", e);
    }
  }

  /**
   * A report's day depends on the zone. When the configured zone changed since the last open, the
   * staged rows are given their days in the new zone and every day not yet pruned is exported
   * again, so that no row is in two day files and none is missing.
   */
  static void followZone(Database db, Transactions tx) {
    Map.Entry<String, Instant> recorded = StateTable.read(db, StateKey.ZONE);
    String now = db.zone.getId();
    if (recorded != null && recorded.getKey().equals(now)) {
      return;
    }
    if (recorded != null) {
      log.warn("the zone changed from {} to {}: report days are recomputed and staged days exported again",
          recorded.getKey(), now);
      tx.run("move report days to " + now, () -> {
        try (Statement s = db.writer().createStatement()) {
          s.execute("UPDATE heartbeats SET report_day = (\"timestamp\" AT TIME ZONE "
              + Sql.duckTimeZone(db.zone) + ")::DATE");
          // Every exported day not yet pruned is due again; days left without rows are removed by the rollover.
          s.execute("UPDATE exports SET staged_through = TIMESTAMPTZ '1970-01-01 00:00:00+00', exported_through = -1"
              + " WHERE NOT pruned");
          return null;
        }
      });
    }
    StateTable.put(db, StateKey.ZONE, now, Instant.now());
  }

  /**
   * Closes SQL off from the rest of the machine: files only under the configured folders and the
   * store's own work folder, bounded memory, threads and spill space, no extension downloads or
   * loads, and no setting may change afterwards, for any connection.
   */
  static void lockDown(Database db) {
    Path work = db.workFolder();
    try {
      Files.createDirectories(work.resolve("spill"));
    } catch (IOException e) {
      throw new StoreException("cannot create the work folder " + work + ": " + e.getMessage(), e);
    }
    try (Statement s = db.writer().createStatement()) {
      s.execute("SET memory_limit = '" + db.engine.memoryLimitMb() + "MB'");
      s.execute("SET threads = " + db.engine.threads());
      s.execute("SET temp_directory = " + Sql.literal(work.resolve("spill").toString()));
      s.execute("SET max_temp_directory_size = '" + EngineLimits.MAX_SPILL + "'");
      s.execute("SET allowed_directories = " + allowedDirectories(db, work));
      s.execute("SET enable_external_access = false");
      s.execute("SET autoinstall_known_extensions = false");
      s.execute("SET autoload_known_extensions = false");
      // No Parquet footers kept in memory (DuckDB's default): the exports' own verification filled the
      // cache with every day's footer, 14 MB held at rest at a year. A query over all history re-reads
      // them from the OS's cache instead, 15-20 ms more (see README, Memory).
      s.execute("SET parquet_metadata_cache = false");
      // The archive is local: the OS already caches its files. DuckDB's own copy of their contents
      // grew with the history read (13 MB at a year, held by an idle agent).
      s.execute("SET enable_external_file_cache = false");
      // Staged rows wait in DuckDB's memory until a checkpoint writes them to the file. At its default,
      // 16 MB of log (some 15,000 reports), RSS under a steady stream rose and fell by 15 MB every few
      // minutes; at 4 MB by about a quarter of that, with no more CPU in the runs measured (see README,
      // Memory). A day's 288 reports never reach it: the rollover checkpoints. Big commits (a catch-up)
      // skip the log and checkpoint anyway.
      s.execute("SET checkpoint_threshold = '" + CHECKPOINT_THRESHOLD + "'");
      s.execute("SET lock_configuration = true");
    } catch (SQLException e) {
      throw db.fail("restrict file access to " + db.folders, e);
    }
  }

  private static String allowedDirectories(Database db, Path work) {
    StringBuilder dirs = new StringBuilder("[");
    for (Path f : db.folders) {
      dirs.append(dirs.length() > 1 ? ", " : "").append(Sql.literal(f.toAbsolutePath().normalize() + "/"));
    }
    return dirs.append(dirs.length() > 1 ? ", " : "").append(Sql.literal(work + "/")).append(']').toString();
  }
}
