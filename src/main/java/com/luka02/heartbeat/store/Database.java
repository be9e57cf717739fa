package com.luka02.heartbeat.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.List;
import java.util.Properties;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DuckDB file and the writer's connection: connecting, noticing that DuckDB invalidated the
 * database, and reopening it before the next write. Readers take duplicates of the current connection.
 */
final class Database {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  final Path file;
  final ZoneId zone;
  final boolean readOnly;
  /** The folders SQL may touch files under, besides the work folder. */
  final List<Path> folders;
  final EngineLimits engine;
  /** Replaced only by {@link #heal} on the writer thread, after DuckDB invalidated the database. */
  private volatile DuckDBConnection conn;
  /** DuckDB refused every statement after a fatal error; the next write reopens the file. */
  private volatile boolean invalidated;

  private Database(Path file, ZoneId zone, boolean readOnly, List<Path> folders, EngineLimits engine) {
    this.file = file;
    this.zone = zone;
    this.readOnly = readOnly;
    this.folders = List.copyOf(folders);
    this.engine = engine;
    this.conn = connection(file, zone, readOnly);
  }

  static Database connect(Path file, ZoneId zone, boolean readOnly, List<Path> folders, EngineLimits engine) {
    return new Database(file, zone, readOnly, folders, engine);
  }

  /** The writer's connection. Writer thread only. */
  Connection writer() {
    return conn;
  }

  /** A connection of its own for reads from any thread, in the configured zone. */
  Connection duplicate() throws SQLException {
    return conn.duplicate();
  }

  /**
   * The store's private folder beside its file: the CSV files of bulk loads and DuckDB's spill
   * files. Hidden, so that it is no report folder and no Parquet folder a user points SQL at.
   */
  Path workFolder() {
    return file.toAbsolutePath().resolveSibling("." + file.getFileName() + ".work");
  }

  /**
   * Reopens the database after DuckDB invalidated it (a checkpoint that hit a full disk does that:
   * every later statement fails until the database is restarted). Writer thread only.
   */
  void heal() {
    if (!invalidated || readOnly) {
      return;
    }
    log.warn("staging database {}: reopening it after a fatal error", file);
    try {
      conn.close();
    } catch (SQLException e) {
      log.debug("closing the invalidated connection: {}", e.toString());
    }
    conn = connection(file, zone, false);
    Schema.apply(this);
    Schema.lockDown(this);
    invalidated = false;
    log.info("staging database {}: reopened; writing again", file);
  }

  /** The failure to report; notes an invalidated database, whoever saw it, so that the writer reopens it. */
  StoreException fail(String what, SQLException e) {
    String msg = String.valueOf(e.getMessage());
    if (msg.contains("database has been invalidated") || msg.contains("FATAL Error")) {
      invalidated = true;
    }
    return new StoreException("staging database " + file + ": cannot " + what + ": " + e.getMessage(), e);
  }

  /** Flushes the write-ahead log into the database file; nothing to do when read-only. */
  void checkpoint() {
    if (readOnly) {
      return;
    }
    heal();
    try (Statement s = conn.createStatement()) {
      s.execute("CHECKPOINT");
    } catch (SQLException e) {
      throw fail("checkpoint", e);
    }
  }

  void close() {
    try {
      conn.close();
    } catch (SQLException e) {
      throw fail("close", e);
    }
  }

  void closeQuietly() {
    try {
      conn.close();
    } catch (SQLException ignored) {
      // Opening failed; that failure is what the caller reports.
    }
  }

  private static DuckDBConnection connection(Path file, ZoneId zone, boolean readOnly) {
    Properties props = new Properties();
    // Rows reach Java a chunk at a time as they are read, so a query cut at the row cap never
    // builds its whole result first; duplicate connections inherit this.
    props.setProperty("jdbc_stream_results", "true");
    if (readOnly) {
      props.setProperty("duckdb.read_only", "true");
    }
    try {
      DuckDBConnection c = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file, props);
      try (Statement s = c.createStatement()) {
        // Global, so that every duplicate connection reads and renders times in the configured zone.
        s.execute("SET GLOBAL TimeZone = " + Sql.duckTimeZone(zone));
      } catch (SQLException e) {
        c.close();
        throw e;
      }
      return c;
    } catch (SQLException e) {
      if (StoreDamagedException.isDamage(e.getMessage())) {
        throw new StoreDamagedException(file, e.getMessage(), e);
      }
      throw describeOpenFailure(file, e);
    }
  }

  /** DuckDB says a lock conflict only in words: they are read here, once, and become a type. */
  private static StoreException describeOpenFailure(Path file, SQLException e) {
    String msg = String.valueOf(e.getMessage());
    if (msg.contains("Conflicting lock")) {
      int at = msg.indexOf("Conflicting lock");
      return new StoreInUseException(
          "staging database " + file + " is in use by another process: " + msg.substring(at).strip(), e);
    }
    return new StoreException("cannot open staging database " + file + ": " + msg, e);
  }
}
