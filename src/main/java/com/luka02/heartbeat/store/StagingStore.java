package com.luka02.heartbeat.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.luka02.heartbeat.report.Check;
import com.luka02.heartbeat.report.Heartbeat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persistent DuckDB staging database; every SQL statement of the product lives here.
 *
 * <p>One instance owns the file for writing (DuckDB allows one writing process). Writes are not
 * thread-safe and belong to one thread; {@link #query}, {@link #stats}, {@link #state} and
 * {@link #exports} read through their own connection and may run on any thread.
 */
public final class StagingStore implements AutoCloseable {
  /** The ten columns of the old exporter's Parquet files, in order (shared FORMAT.md). */
  public static final List<String> LEGACY_COLUMNS = List.of(
      "filename", "report_type", "timestamp", "status", "duration_ms", "redis_status",
      "database_status", "api_status", "launchagent_optimizer", "launchagent_digest");
  /** Every column of {@code heartbeats}, in order. */
  public static final List<String> COLUMNS;

  static {
    List<String> all = new ArrayList<>(LEGACY_COLUMNS);
    all.addAll(List.of("checks", "summary", "source_path", "content_hash", "report_day", "ingested_at"));
    COLUMNS = List.copyOf(all);
  }

  /** Made on first use: setting up the mapper costs a command that stages nothing (a warm catch-up) ~0.2 s. */
  private static final class Mapper {
    static final ObjectMapper JSON = new ObjectMapper();
  }
  /**
   * What one staging transaction brings: rows loaded from CSV, with their files' size and mtime.
   * Always recreated, never emptied with DELETE: DuckDB keeps a temp table's memory after a DELETE,
   * which made a long-running agent grow with every reconcile.
   */
  private static final String EMPTY_INCOMING = "CREATE OR REPLACE TEMP TABLE incoming AS "
      + "SELECT * EXCLUDE (change_seq), 0::BIGINT AS size, 0::BIGINT AS mtime_ms FROM heartbeats LIMIT 0";
  private static final Logger log = LoggerFactory.getLogger(StagingStore.class);

  /** Points where tests make a commit fail at the worst moment; production uses {@link #NO_FAULTS}. */
  interface Faults {
    /** Runs on the writer's connection just before {@code COMMIT}. */
    default void beforeCommit(Statement s) throws SQLException {}
  }

  static final Faults NO_FAULTS = new Faults() {};

  private final Path file;
  private final ZoneId zone;
  private final boolean readOnly;
  private final List<Path> folders;
  /** What the ledger's file paths are relative to; null when unknown, and then only staged rows are history. */
  private final Path root;
  private final EngineLimits engine;
  private final Faults faults;
  /** Replaced only by {@link #heal} on the writer thread, after DuckDB invalidated the database. */
  private volatile DuckDBConnection conn;
  /** Writer thread only: a transaction of ours is open on {@link #conn}. */
  private boolean inTransaction;
  /** Writer thread only: the open transaction staged reports, so its commit proves staging works. */
  private boolean stagedInTransaction;
  /** DuckDB refused every statement after a fatal error; the next write reopens the file. */
  private volatile boolean invalidated;
  /** Why the last staging attempt failed, until one succeeds; read by {@code /health}. */
  private volatile String stagingFailure;

  private StagingStore(Path file, ZoneId zone, DuckDBConnection conn, boolean readOnly, List<Path> folders,
      Path root, EngineLimits engine, Faults faults) {
    this.file = file;
    this.root = root;
    this.zone = zone;
    this.conn = conn;
    this.readOnly = readOnly;
    this.folders = folders;
    this.engine = engine;
    this.faults = faults;
  }

  /** Opens (creating if needed) the configured database for writing, with SQL confined to the configured folders. */
  public static StagingStore open(com.luka02.heartbeat.config.Config config) {
    return open(config.stagingDb(), config.zone(), config.sqlFolders(), engine(config), config.root(), NO_FAULTS);
  }

  /** The memory and threads the configuration gives DuckDB. */
  public static EngineLimits engine(com.luka02.heartbeat.config.Config config) {
    return new EngineLimits(config.sqlLimits().memoryLimitMb(), config.sqlLimits().threads());
  }

  /** Opens (creating if needed) the database for writing; SQL may touch files in its folder only. */
  public static StagingStore open(Path file, ZoneId zone) {
    return open(file, zone, List.of(file.toAbsolutePath().getParent()));
  }

  /** Opens (creating if needed) the database for writing; SQL may touch files under {@code folders} only. */
  public static StagingStore open(Path file, ZoneId zone, List<Path> folders) {
    return open(file, zone, folders, EngineLimits.DEFAULT, null, NO_FAULTS);
  }

  /** As above, with DuckDB held to {@code engine}'s memory and threads. */
  public static StagingStore open(Path file, ZoneId zone, List<Path> folders, EngineLimits engine) {
    return open(file, zone, folders, engine, null, NO_FAULTS);
  }

  static StagingStore open(Path file, ZoneId zone, List<Path> folders, Faults faults) {
    return open(file, zone, folders, EngineLimits.DEFAULT, null, faults);
  }

  private static StagingStore open(Path file, ZoneId zone, List<Path> folders, EngineLimits engine, Path root,
      Faults faults) {
    try {
      // Owner-only: the rows hold whatever the reports say, credentials pasted into errors included.
      com.luka02.heartbeat.config.OwnerOnly.createDirectories(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new StoreException("cannot create the folder of " + file + ": " + e.getMessage(), e);
    }
    StagingStore store = connect(file, zone, false, folders, root, engine, faults);
    try {
      store.applySchema();
      store.followZone();
      store.lockDown();
      store.refreshHistory();
    } catch (RuntimeException e) {
      store.closeQuietly();
      if (e instanceof StoreException && StoreDamagedException.isDamage(e.getMessage())) {
        throw new StoreDamagedException(file, e.getMessage(), e);
      }
      throw e;
    }
    return store;
  }

  /** Opens an existing database read-only, for queries while no agent runs. */
  public static StagingStore openReadOnly(Path file, ZoneId zone, List<Path> folders) {
    return openReadOnly(file, zone, folders, EngineLimits.DEFAULT);
  }

  /** As above, with DuckDB held to {@code engine}'s memory and threads. */
  public static StagingStore openReadOnly(Path file, ZoneId zone, List<Path> folders, EngineLimits engine) {
    if (!Files.exists(file)) {
      throw new StoreException("no staging database at " + file + " (run `catchup` or `run` first)", null);
    }
    StagingStore store = connect(file, zone, true, folders, null, engine, NO_FAULTS);
    try {
      store.lockDown();
    } catch (RuntimeException e) {
      store.closeQuietly();
      throw e;
    }
    return store;
  }

  private static StagingStore connect(Path file, ZoneId zone, boolean readOnly, List<Path> folders, Path root,
      EngineLimits engine, Faults faults) {
    return new StagingStore(file, zone, connection(file, zone, readOnly), readOnly, List.copyOf(folders), root,
        engine, faults);
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
        s.execute("SET GLOBAL TimeZone = " + duckTimeZone(zone));
      } catch (SQLException e) {
        c.close();
        throw e;
      }
      return c;
    } catch (SQLException e) {
      if (StoreDamagedException.isDamage(e.getMessage())) {
        throw new StoreDamagedException(file, e.getMessage(), e);
      }
      throw new StoreException(describeOpenFailure(file, e), e);
    }
  }

  private static String describeOpenFailure(Path file, SQLException e) {
    String msg = String.valueOf(e.getMessage());
    if (msg.contains("Conflicting lock")) {
      int at = msg.indexOf("Conflicting lock");
      return "staging database " + file + " is in use by another process: " + msg.substring(at).strip();
    }
    return "cannot open staging database " + file + ": " + msg;
  }

  private void applySchema() {
    String ddl;
    try (InputStream in = StagingStore.class.getResourceAsStream("schema.sql")) {
      ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new StoreException("schema.sql missing from the jar", e);
    }
    try (Statement s = conn.createStatement()) {
      for (String statement : ddl.split(";\\s*\\n")) {
        if (!statement.replaceAll("(?m)--.*$", "").isBlank()) {
          s.execute(statement);
        }
      }
      s.execute(EMPTY_INCOMING);
      s.execute("CREATE OR REPLACE TEMP VIEW incoming_rows AS SELECT * EXCLUDE (size, mtime_ms) FROM incoming");
      s.execute("CREATE OR REPLACE TEMP VIEW incoming_seen AS SELECT source_path AS path, size, mtime_ms, "
          + "content_hash, \"timestamp\" AS report_ts, ingested_at AS seen_at FROM incoming");
    } catch (SQLException e) {
      throw fail("apply the schema", e);
    }
  }

  /**
   * A report's day depends on the zone. When the configured zone changed since the last open, the
   * staged rows are given their days in the new zone and every day not yet pruned is exported
   * again, so that no row is in two day files and none is missing.
   */
  private void followZone() {
    Map.Entry<String, Instant> recorded = state("zone");
    String now = zone.getId();
    if (recorded != null && recorded.getKey().equals(now)) {
      return;
    }
    if (recorded != null) {
      log.warn("the zone changed from {} to {}: report days are recomputed and staged days exported again",
          recorded.getKey(), now);
      inTransaction(() -> {
        try (Statement s = conn.createStatement()) {
          s.execute("UPDATE heartbeats SET report_day = (\"timestamp\" AT TIME ZONE " + duckTimeZone(zone) + ")::DATE");
          // Every exported day not yet pruned is due again; days left without rows are removed by the rollover.
          s.execute("UPDATE exports SET staged_through = TIMESTAMPTZ '1970-01-01 00:00:00+00', exported_through = -1"
              + " WHERE NOT pruned");
          return null;
        } catch (SQLException e) {
          throw fail("move report days to " + now, e);
        }
      });
    }
    putState("zone", now, Instant.now());
  }

  /**
   * Closes SQL off from the rest of the machine: files only under the configured folders and the
   * store's own work folder, bounded memory, threads and spill space, no extension downloads or
   * loads, and no setting may change afterwards, for any connection.
   */
  private void lockDown() {
    Path work = workFolder();
    try {
      Files.createDirectories(work.resolve("spill"));
    } catch (IOException e) {
      throw new StoreException("cannot create the work folder " + work + ": " + e.getMessage(), e);
    }
    StringBuilder dirs = new StringBuilder("[");
    for (Path f : folders) {
      dirs.append(dirs.length() > 1 ? ", " : "").append(literal(f.toAbsolutePath().normalize() + "/"));
    }
    dirs.append(dirs.length() > 1 ? ", " : "").append(literal(work + "/")).append(']');
    try (Statement s = conn.createStatement()) {
      s.execute("SET memory_limit = '" + engine.memoryLimitMb() + "MB'");
      s.execute("SET threads = " + engine.threads());
      s.execute("SET temp_directory = " + literal(work.resolve("spill").toString()));
      s.execute("SET max_temp_directory_size = '" + EngineLimits.MAX_SPILL + "'");
      s.execute("SET allowed_directories = " + dirs);
      s.execute("SET enable_external_access = false");
      s.execute("SET autoinstall_known_extensions = false");
      s.execute("SET autoload_known_extensions = false");
      // all_heartbeats reads a footer per pruned day at every query: keep them in memory, not re-read.
      s.execute("SET parquet_metadata_cache = true");
      s.execute("SET lock_configuration = true");
    } catch (SQLException e) {
      throw fail("restrict file access to " + folders, e);
    }
  }

  public Path file() {
    return file;
  }

  /**
   * The store's private folder beside its file: the CSV files of bulk loads and DuckDB's spill
   * files. Hidden, so that it is no report folder and no Parquet folder a user points SQL at.
   */
  public Path workFolder() {
    return file.toAbsolutePath().resolveSibling("." + file.getFileName() + ".work");
  }

  // ---------------------------------------------------------------- staging

  /** A file found by a walk, as compared with what was recorded. */
  public record WalkedFile(String path, long size, long mtimeMs) {}

  /** What a walk found changed: files new or different since recorded, and recorded files now gone. */
  public record Changes(Map<String, SeenFile> changed, List<String> vanished) {}

  /**
   * Compares a walk with {@code seen_files} inside DuckDB: the walk is bulk-loaded and joined, so an
   * unchanged year costs a join rather than a hundred thousand rows over JDBC. {@code changed} maps
   * each new or different path to its record (null when new).
   */
  public Changes changes(List<WalkedFile> walked, boolean withVanished) {
    heal();
    try (Statement s = conn.createStatement()) {
      s.execute("CREATE OR REPLACE TEMP TABLE walked (path VARCHAR, size BIGINT, mtime_ms BIGINT)");
      List<String> lines = new ArrayList<>(walked.size());
      StringBuilder line = new StringBuilder(256);
      for (WalkedFile w : walked) {
        line.setLength(0);
        RowCsv.quote(line, w.path());
        lines.add(line.append(',').append(w.size()).append(',').append(w.mtimeMs()).append('\n').toString());
      }
      loadCsv(s, "walked", lines, "{'path': 'VARCHAR', 'size': 'BIGINT', 'mtime_ms': 'BIGINT'}", "");
      Map<String, SeenFile> changed = new HashMap<>();
      try (ResultSet rs = s.executeQuery("""
          SELECT w.path, s.size, s.mtime_ms, s.content_hash, s.report_ts, s.path IS NULL
          FROM walked w LEFT JOIN seen_files s USING (path)
          WHERE s.path IS NULL OR s.size <> w.size OR s.mtime_ms <> w.mtime_ms
          """)) {
        while (rs.next()) {
          changed.put(rs.getString(1), rs.getBoolean(6) ? null
              : new SeenFile(rs.getLong(2), rs.getLong(3), rs.getString(4), instant(rs, 5)));
        }
      }
      List<String> vanished = new ArrayList<>();
      if (withVanished) {
        try (ResultSet rs = s.executeQuery("SELECT path FROM seen_files ANTI JOIN walked USING (path)")) {
          while (rs.next()) {
            vanished.add(rs.getString(1));
          }
        }
      }
      s.execute("DROP TABLE walked"); // frees its memory; a DELETE would not
      return new Changes(changed, vanished);
    } catch (SQLException e) {
      throw new StoreException("staging database " + file + ": cannot compare the walk: " + e.getMessage(), e);
    }
  }

  /** What is recorded about one file, or null. */
  public SeenFile seenFile(String path) {
    try (PreparedStatement ps = conn.prepareStatement(
        "SELECT size, mtime_ms, content_hash, report_ts FROM seen_files WHERE path = ?")) {
      ps.setString(1, path);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new SeenFile(rs.getLong(1), rs.getLong(2), rs.getString(3), instant(rs, 4)) : null;
      }
    } catch (SQLException e) {
      throw fail("read seen file " + path, e);
    }
  }

  /**
   * Stages parsed files and records quarantined ones in one transaction, with the records that they
   * were seen. Rows are keyed by report timestamp: a copy with the same bytes changes nothing, new
   * content for a known timestamp replaces the row, and {@code replaceAll} rewrites every row given.
   * Callers pass at most one entry per path and per timestamp.
   */
  public StageCounts stage(List<StagedFile> files, List<QuarantinedFile> bad, Instant now, boolean replaceAll) {
    if (files.isEmpty() && bad.isEmpty()) {
      return StageCounts.NONE;
    }
    OffsetDateTime committed = now.atOffset(ZoneOffset.UTC);
    return transaction("stage " + files.size() + " reports", () -> {
      stagedInTransaction = true;
      long start = System.nanoTime();
      loadIncoming(files, committed);
      long loaded = System.nanoTime();
      StageCounts counts = applyIncoming(bad, committed, replaceAll, nextChange());
      try (Statement s = conn.createStatement()) {
        s.execute(EMPTY_INCOMING);
      }
      log.debug("staged {} files: load {} ms, merge {} ms", files.size() + bad.size(),
          (loaded - start) / 1_000_000, (System.nanoTime() - loaded) / 1_000_000);
      return counts;
    });
  }

  private void loadIncoming(List<StagedFile> files, OffsetDateTime now) throws SQLException {
    try (Statement s = conn.createStatement()) {
      s.execute(EMPTY_INCOMING);
      if (!files.isEmpty()) {
        List<String> lines = files.parallelStream().map(f -> RowCsv.line(f, now)).toList();
        loadCsv(s, "incoming", lines, RowCsv.readCsvColumns(), " ORDER BY \"timestamp\"");
      }
    }
  }

  /**
   * Bulk-loads CSV {@code lines} (each ending in a newline) into the temp table {@code table} through
   * DuckDB's parallel CSV reader, by way of a file beside the database that is removed afterwards.
   */
  private void loadCsv(Statement s, String table, List<String> lines, String columns, String orderBy)
      throws SQLException {
    Path csv = workFolder().resolve(table + "-" + ProcessHandle.current().pid() + ".csv");
    try {
      long start = System.nanoTime();
      // The stream is closed on its own: when a full disk fails the writer's last flush, the JDK's
      // encoder skips closing what it wraps, and the file would stay open (deleted) for good.
      try (var raw = Files.newOutputStream(csv);
          var out = new java.io.BufferedWriter(new java.io.OutputStreamWriter(raw, StandardCharsets.UTF_8))) {
        for (String line : lines) {
          out.write(line);
        }
      }
      long written = System.nanoTime();
      s.execute("INSERT INTO " + table + " SELECT * FROM read_csv(" + literal(csv.toString())
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

  static String checksJson(List<Check> checks) {
    try {
      return Mapper.JSON.writeValueAsString(checks);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("checks are plain strings and cannot fail to serialise", e);
    }
  }

  /** The next number of the change sequence: every row this transaction writes carries it. */
  private long nextChange() throws SQLException {
    try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT nextval('change_seq')")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private StageCounts applyIncoming(List<QuarantinedFile> bad, OffsetDateTime now, boolean replaceAll, long change)
      throws SQLException {
    int inserted;
    int replaced;
    int unchanged;
    try (Statement s = conn.createStatement()) {
      try (ResultSet rs = s.executeQuery("""
          SELECT count(*) FILTER (WHERE h."timestamp" IS NULL),
                 count(*) FILTER (WHERE h."timestamp" IS NOT NULL AND (%s OR h.content_hash <> n.content_hash))
          FROM incoming_rows n LEFT JOIN heartbeats h USING ("timestamp")
          """.formatted(replaceAll))) {
        rs.next();
        inserted = rs.getInt(1);
        replaced = rs.getInt(2);
      }
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM incoming_rows")) {
        rs.next();
        unchanged = rs.getInt(1) - inserted - replaced;
      }
      // A file rewritten as a different report: its old row goes, unless another file still holds it.
      s.execute("""
          DELETE FROM heartbeats WHERE "timestamp" IN (
            SELECT old.report_ts FROM seen_files old JOIN incoming_seen n USING (path)
            WHERE old.report_ts IS NOT NULL AND n.report_ts IS NOT NULL AND old.report_ts <> n.report_ts
              AND old.report_ts NOT IN (SELECT "timestamp" FROM incoming_rows)
              AND NOT EXISTS (SELECT 1 FROM seen_files other
                              WHERE other.report_ts = old.report_ts AND other.path <> old.path
                                AND other.path NOT IN (SELECT path FROM incoming_seen)))
          """);
      s.execute("""
          DELETE FROM heartbeats WHERE "timestamp" IN (
            SELECT n."timestamp" FROM incoming_rows n JOIN heartbeats h USING ("timestamp")
            WHERE %s OR h.content_hash <> n.content_hash)
          """.formatted(replaceAll));
      s.execute("""
          INSERT INTO heartbeats BY NAME SELECT n.*, %d AS change_seq FROM incoming_rows n
          WHERE NOT EXISTS (SELECT 1 FROM heartbeats h WHERE h."timestamp" = n."timestamp")
          ORDER BY n."timestamp"
          """.formatted(change));
      s.execute("DELETE FROM seen_files WHERE path IN (SELECT path FROM incoming_seen)");
      s.execute("INSERT INTO seen_files SELECT * FROM incoming_seen");
      s.execute("DELETE FROM quarantine WHERE path IN (SELECT path FROM incoming_seen WHERE report_ts IS NOT NULL)");
    }
    if (!bad.isEmpty()) {
      try (PreparedStatement del = conn.prepareStatement("DELETE FROM seen_files WHERE path = ?");
          PreparedStatement ps = conn.prepareStatement("INSERT INTO seen_files VALUES (?, ?, ?, ?, NULL, ?)")) {
        for (QuarantinedFile q : bad) {
          del.setString(1, q.path());
          del.executeUpdate();
          ps.setString(1, q.path());
          ps.setLong(2, q.size());
          ps.setLong(3, q.mtimeMs());
          ps.setString(4, q.contentHash() == null ? "" : q.contentHash());
          ps.setObject(5, now);
          ps.executeUpdate();
        }
      }
      try (PreparedStatement ps = conn.prepareStatement(
          "INSERT OR REPLACE INTO quarantine VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        for (QuarantinedFile q : bad) {
          ps.setString(1, q.path());
          ps.setString(2, q.reason());
          if (q.line() > 0) {
            ps.setInt(3, q.line());
          } else {
            ps.setNull(3, java.sql.Types.INTEGER);
          }
          ps.setString(4, q.excerpt());
          ps.setString(5, q.contentHash());
          ps.setLong(6, q.size());
          ps.setObject(7, now);
          ps.executeUpdate();
        }
      }
    }
    return new StageCounts(inserted, replaced, unchanged, bad.size());
  }

  /**
   * Runs {@code work} in one transaction, so that a whole catch-up commits once: far cheaper than a
   * commit per batch, and a crash leaves the store as it was before.
   */
  public <T> T inTransaction(java.util.function.Supplier<T> work) {
    return transaction("run a transaction", work::get);
  }

  /** Work against the writer's connection. */
  @FunctionalInterface
  private interface SqlWork<T> {
    T run() throws SQLException;
  }

  /**
   * Runs {@code work} in a transaction of its own, or inside the caller's when one is open. The
   * transaction is driven with plain BEGIN/COMMIT/ROLLBACK and JDBC autocommit stays on: after a
   * failed COMMIT (a full disk) DuckDB has already ended the transaction, and the driver's own
   * bookkeeping then believed one was still open, so every later commit failed until a restart.
   * Whatever happens, the connection leaves here outside any transaction. For the same reason no
   * statement here is batched: the driver wraps a batch in a BEGIN of its own.
   */
  private <T> T transaction(String what, SqlWork<T> work) {
    if (inTransaction) {
      try {
        return work.run();
      } catch (SQLException e) {
        throw fail(what, e);
      }
    }
    heal();
    boolean committed = false;
    try (Statement s = conn.createStatement()) {
      s.execute("BEGIN TRANSACTION");
      inTransaction = true;
      stagedInTransaction = false;
      T result = work.run();
      faults.beforeCommit(s);
      s.execute("COMMIT");
      committed = true;
      if (stagedInTransaction) {
        stagingFailure = null;
      }
      return result;
    } catch (SQLException e) {
      throw writeFailed(what, e);
    } catch (RuntimeException | Error e) {
      if (stagedInTransaction || e instanceof StoreException) {
        noteFailure(e.getMessage());
      }
      throw e;
    } finally {
      if (inTransaction && !committed) {
        rollbackQuietly();
      }
      inTransaction = false;
      stagedInTransaction = false;
    }
  }

  /**
   * Reopens the database after DuckDB invalidated it (a checkpoint that hit a full disk does that:
   * every later statement fails until the database is restarted). Writer thread only.
   */
  private void heal() {
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
    applySchema();
    lockDown();
    invalidated = false;
    log.info("staging database {}: reopened; writing again", file);
  }

  /** Why staging last failed, or null once a staging transaction has committed since. */
  public String stagingFailure() {
    return stagingFailure;
  }

  private StoreException writeFailed(String what, SQLException e) {
    StoreException failure = fail(what, e);
    noteFailure(failure.getMessage());
    return failure;
  }

  private void noteFailure(String message) {
    stagingFailure = message == null ? "the staging store refused a write" : message;
  }

  /** Forgets files that no longer exist; their rows stay, since the rows are the record. */
  public void forgetPaths(Collection<String> paths) {
    if (paths.isEmpty()) {
      return;
    }
    inTransaction(() -> {
      try (PreparedStatement ps = conn.prepareStatement("DELETE FROM seen_files WHERE path = ?");
          PreparedStatement pq = conn.prepareStatement("DELETE FROM quarantine WHERE path = ?")) {
        for (String p : paths) {
          ps.setString(1, p);
          ps.executeUpdate();
          pq.setString(1, p);
          pq.executeUpdate();
        }
        return null;
      } catch (SQLException e) {
        throw fail("forget " + paths.size() + " deleted files", e);
      }
    });
  }

  // ---------------------------------------------------------------- export

  /** Days up to {@code through} with rows that their Parquet file does not hold yet. */
  public List<DayExport> daysToExport(LocalDate through) {
    heal();
    List<DayExport> days = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement("""
        SELECT h.report_day, count(*), max(h.ingested_at), coalesce(any_value(e.pruned), false), max(h.change_seq)
        FROM heartbeats h LEFT JOIN exports e ON e.day = h.report_day
        WHERE h.report_day <= ?
        GROUP BY h.report_day
        HAVING any_value(e.day) IS NULL
            OR max(h.change_seq) > any_value(e.exported_through)
            OR (NOT any_value(e.pruned) AND count(*) <> any_value(e.row_count))
        ORDER BY h.report_day
        """)) {
      ps.setObject(1, through);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          days.add(new DayExport(rs.getObject(1, LocalDate.class), rs.getLong(2), instant(rs, 3), rs.getBoolean(4),
              rs.getLong(5)));
        }
      }
      return days;
    } catch (SQLException e) {
      throw fail("list days to export", e);
    }
  }

  /** Number of staged rows of one day, and the newest ingestion among them. */
  public DayExport stagedDay(LocalDate day) {
    try (PreparedStatement ps = conn.prepareStatement("""
        SELECT count(*), max(ingested_at),
               coalesce((SELECT pruned FROM exports WHERE day = ?), false), coalesce(max(change_seq), 0)
        FROM heartbeats WHERE report_day = ?
        """)) {
      ps.setObject(1, day);
      ps.setObject(2, day);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new DayExport(day, rs.getLong(1), instant(rs, 2), rs.getBoolean(3), rs.getLong(4));
      }
    } catch (SQLException e) {
      throw fail("count rows of " + day, e);
    }
  }

  /**
   * Writes one day's {@code columns}, ordered by time, to {@code target} as Snappy Parquet and returns
   * the row count. When {@code previous} is given, its rows for timestamps not staged are carried over
   * (the day was pruned from staging after an earlier export); a column it lacks is NULL there.
   */
  public long copyDayToParquet(LocalDate day, Path target, Path previous, List<String> columns) {
    String select = String.join(", ", quoted(columns));
    String staged = "SELECT " + select + " FROM heartbeats WHERE report_day = DATE " + literal(day.toString());
    // BY NAME against the table's empty shape: an older file may lack columns or carry others (host).
    String source = previous == null ? staged : staged + """
         UNION ALL
        SELECT %s FROM (SELECT * FROM heartbeats WHERE false UNION ALL BY NAME
          SELECT * FROM read_parquet(%s, hive_partitioning = false))
        WHERE "timestamp" NOT IN (SELECT "timestamp" FROM heartbeats WHERE report_day = DATE %s)
        """.formatted(select, literal(previous.toString()), literal(day.toString()));
    String sql = "COPY (SELECT * FROM (" + source + ") ORDER BY \"timestamp\") TO "
        + literal(target.toString()) + " (FORMAT parquet, COMPRESSION snappy)";
    try (Statement s = conn.createStatement()) {
      s.execute(sql);
      return s.getUpdateCount();
    } catch (SQLException e) {
      throw fail("write " + target, e);
    }
  }

  /** Row count, column names and compression codecs of a Parquet file, read back through DuckDB. */
  public ParquetCheck inspectParquet(Path parquet) {
    String f = literal(parquet.toString());
    String src = f + ", hive_partitioning = false";
    try (Statement s = conn.createStatement()) {
      long rows;
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM read_parquet(" + src + ")")) {
        rs.next();
        rows = rs.getLong(1);
      }
      List<String> columns = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM read_parquet(" + src + ")")) {
        while (rs.next()) {
          columns.add(rs.getString(1));
        }
      }
      List<String> codecs = new ArrayList<>();
      try (ResultSet rs = s.executeQuery(
          "SELECT DISTINCT compression FROM parquet_metadata(" + f + ") ORDER BY 1")) {
        while (rs.next()) {
          codecs.add(rs.getString(1));
        }
      }
      return new ParquetCheck(rows, columns, codecs);
    } catch (SQLException e) {
      throw fail("read back " + parquet, e);
    }
  }

  /** What verification reads back from a Parquet file. */
  public record ParquetCheck(long rows, List<String> columns, List<String> codecs) {}

  /** The facts a day's summary shows, read from its Parquet file. */
  public record DayFacts(Map<String, Long> byStatus, List<Instant> timestamps, List<String> checksJson) {}

  /** Reads back what a summary needs from an exported Parquet file. */
  public DayFacts dayFacts(Path parquet) {
    String f = literal(parquet.toString());
    String src = f + ", hive_partitioning = false";
    Map<String, Long> byStatus = new LinkedHashMap<>();
    List<Instant> timestamps = new ArrayList<>();
    List<String> checks = new ArrayList<>();
    try (Statement s = conn.createStatement()) {
      try (ResultSet rs = s.executeQuery(
          "SELECT status, count(*) FROM read_parquet(" + src + ") GROUP BY status ORDER BY status")) {
        while (rs.next()) {
          byStatus.put(rs.getString(1), rs.getLong(2));
        }
      }
      try (ResultSet rs = s.executeQuery(
          "SELECT \"timestamp\", checks::VARCHAR FROM read_parquet(" + src + ") ORDER BY \"timestamp\"")) {
        while (rs.next()) {
          timestamps.add(instant(rs, 1));
          checks.add(rs.getString(2));
        }
      }
      return new DayFacts(byStatus, timestamps, checks);
    } catch (SQLException e) {
      throw fail("summarise " + parquet, e);
    }
  }

  /**
   * Records a verified export holding the day's rows through change {@code changedThrough}; call only
   * after the file is in place under its final name.
   */
  public void recordExport(ExportRecord r, long changedThrough) {
    try (PreparedStatement ps = conn.prepareStatement(
        """
        INSERT INTO exports (day, row_count, file, bytes, duration_ms, exported_at, sha256, staged_through,
            pruned, exported_through)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, false, ?)
        ON CONFLICT (day) DO UPDATE SET row_count = excluded.row_count, file = excluded.file,
          bytes = excluded.bytes, duration_ms = excluded.duration_ms, exported_at = excluded.exported_at,
          sha256 = excluded.sha256, staged_through = excluded.staged_through,
          exported_through = excluded.exported_through
        """)) {
      ps.setObject(1, r.day());
      ps.setLong(2, r.rows());
      ps.setString(3, r.file());
      ps.setLong(4, r.bytes());
      ps.setLong(5, r.durationMs());
      ps.setObject(6, r.exportedAt().atOffset(ZoneOffset.UTC));
      ps.setString(7, r.sha256());
      ps.setObject(8, r.stagedThrough().atOffset(ZoneOffset.UTC));
      ps.setLong(9, changedThrough);
      ps.executeUpdate();
      refreshHistory();
    } catch (SQLException e) {
      throw fail("record the export of " + r.day(), e);
    }
  }

  /** What restoring one archived day file found. */
  public record ArchivedDay(long rowsInFile, long rowsRestored, boolean sameAsStaged) {}

  /**
   * Rebuilding after damage: stages the rows of an archived day file that no staged row holds
   * (matched by timestamp), and records the file in the ledger. The day counts as exported only
   * when the file holds exactly its staged rows; otherwise the next rollover writes it again.
   */
  public ArchivedDay importArchivedDay(LocalDate day, Path parquet, List<String> fileColumns, String relFile,
      String sha256, long bytes, Instant exportedAt) {
    return transaction("restore " + parquet, () -> {
      String src = "read_parquet(" + literal(parquet.toString()) + ", hive_partitioning = false)";
      long change = nextChange();
      long inFile = count("SELECT count(*) FROM " + src);
      // Lean files carry no provenance: the row came from the archive file, now, with no report bytes to hash.
      List<String> select = new ArrayList<>();
      List<String> compared = new ArrayList<>();
      for (String c : COLUMNS) {
        boolean held = fileColumns.contains(c);
        select.add(held ? "\"" + c + "\"" : switch (c) {
          case "source_path" -> literal(relFile) + " AS source_path";
          case "ingested_at" -> "current_timestamp AS ingested_at";
          default -> "'restored' AS " + c; // content_hash: never equal to a report's SHA-256
        });
        if (held && !c.equals("source_path") && !c.equals("ingested_at")) {
          compared.add(c.equals("checks") ? "checks::VARCHAR" : "\"" + c + "\"");
        }
      }
      long restored;
      try (Statement s = conn.createStatement()) {
        restored = s.executeUpdate("INSERT INTO heartbeats BY NAME SELECT " + String.join(", ", select)
            + ", " + change + " AS change_seq FROM " + src + " p WHERE NOT EXISTS "
            + "(SELECT 1 FROM heartbeats h WHERE h.\"timestamp\" = p.\"timestamp\")");
      }
      // The day is as exported when the file holds exactly what a rollover would write from the staged rows.
      String what = String.join(", ", compared);
      String staged = "SELECT " + what + " FROM heartbeats WHERE report_day = DATE " + literal(day.toString());
      String archived = "SELECT " + what + " FROM " + src;
      boolean same = count("SELECT count(*) FROM (" + staged + " EXCEPT " + archived + ")") == 0
          && count("SELECT count(*) FROM (" + archived + " EXCEPT " + staged + ")") == 0;
      long through = same ? stagedDay(day).changedThrough() : -1;
      recordExport(new ExportRecord(day, inFile, relFile, bytes, 0, exportedAt, sha256, exportedAt), through);
      return new ArchivedDay(inFile, restored, same);
    });
  }

  private long count(String sql) throws SQLException {
    try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Exports of days that no longer have any staged row and were never pruned: their rows moved elsewhere. */
  public List<ExportRecord> exportsWithoutRows() {
    List<ExportRecord> out = new ArrayList<>();
    try (Statement s = conn.createStatement();
        ResultSet rs = s.executeQuery("""
            SELECT day, row_count, file, bytes, duration_ms, exported_at, sha256, staged_through FROM exports e
            WHERE NOT pruned AND NOT EXISTS (SELECT 1 FROM heartbeats h WHERE h.report_day = e.day)
            ORDER BY day""")) {
      while (rs.next()) {
        out.add(exportRecord(rs));
      }
      return out;
    } catch (SQLException e) {
      throw fail("find exports without rows", e);
    }
  }

  /** A ledger row selected as {@code day, row_count, file, bytes, duration_ms, exported_at, sha256, staged_through}. */
  private static ExportRecord exportRecord(ResultSet rs) throws SQLException {
    return new ExportRecord(rs.getObject(1, LocalDate.class), rs.getLong(2), rs.getString(3), rs.getLong(4),
        rs.getLong(5), instant(rs, 6), rs.getString(7), instant(rs, 8));
  }

  /** Removes a day from the ledger; call after its file is gone. */
  public void forgetExport(LocalDate day) {
    try (PreparedStatement ps = conn.prepareStatement("DELETE FROM exports WHERE day = ?")) {
      ps.setObject(1, day);
      ps.executeUpdate();
      refreshHistory();
    } catch (SQLException e) {
      throw fail("forget the export of " + day, e);
    }
  }

  /** The ledger, newest day first, at most {@code limit} entries. */
  public List<ExportRecord> exports(int limit) {
    List<ExportRecord> out = new ArrayList<>();
    try (Connection c = reader(); PreparedStatement ps = c.prepareStatement(
        "SELECT day, row_count, file, bytes, duration_ms, exported_at, sha256, staged_through "
            + "FROM exports ORDER BY day DESC LIMIT ?")) {
      ps.setInt(1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(exportRecord(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw fail("read the export ledger", e);
    }
  }

  /**
   * Deletes staged rows of days before {@code before} whose export holds them, and marks those days
   * pruned. Returns the number of rows deleted. The day's file joins {@code all_heartbeats} in the
   * same transaction, so no reader sees its reports twice or not at all.
   */
  public long pruneExported(LocalDate before) {
    return transaction("prune rows before " + before, () -> {
      try (Statement s = conn.createStatement()) {
        String cutoff = "DATE " + literal(before.toString());
        // Marked first, while the rows to delete can still be seen: a day that loses any row makes its
        // file the record, even if a late row stays staged until the re-export.
        s.executeUpdate("""
            UPDATE exports SET pruned = true WHERE day < %s AND NOT pruned AND (
              NOT EXISTS (SELECT 1 FROM heartbeats h WHERE h.report_day = exports.day)
              OR EXISTS (SELECT 1 FROM heartbeats h WHERE h.report_day = exports.day
                         AND h.change_seq <= exports.exported_through))
            """.formatted(cutoff));
        int deleted = s.executeUpdate("""
            DELETE FROM heartbeats WHERE report_day < %s AND EXISTS (
              SELECT 1 FROM exports e WHERE e.day = heartbeats.report_day
                AND heartbeats.change_seq <= e.exported_through)
            """.formatted(cutoff));
        refreshHistory();
        return (long) deleted;
      }
    });
  }

  /** Rewrites {@code all_heartbeats} with the files of the pruned days, on the writer's connection. */
  private void refreshHistory() {
    List<Path> files = new ArrayList<>();
    if (root != null) {
      try (Statement s = conn.createStatement();
          ResultSet rs = s.executeQuery("SELECT file FROM exports WHERE pruned ORDER BY day")) {
        while (rs.next()) {
          files.add(root.resolve(rs.getString(1)));
        }
      } catch (SQLException e) {
        throw fail("list the pruned days' files", e);
      }
    }
    try (Statement s = conn.createStatement()) {
      s.execute(HistoryView.definition(files));
    } catch (SQLException e) {
      throw fail("define " + HistoryView.NAME, e);
    }
  }

  /** Which days are staged and which only in Parquet, for {@code status}. */
  public HistorySpan historySpan() {
    try (Connection c = reader(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
        SELECT (SELECT count(DISTINCT report_day) FROM heartbeats), (SELECT min(report_day) FROM heartbeats),
               (SELECT max(report_day) FROM heartbeats), count(e.day), min(e.day), max(e.day), coalesce(sum(e.row_count), 0)
        FROM exports e WHERE e.pruned AND NOT EXISTS (SELECT 1 FROM heartbeats h WHERE h.report_day = e.day)
        """)) {
      rs.next();
      return new HistorySpan(rs.getLong(1), rs.getObject(2, LocalDate.class), rs.getObject(3, LocalDate.class),
          rs.getLong(4), rs.getObject(5, LocalDate.class), rs.getObject(6, LocalDate.class), rs.getLong(7));
    } catch (SQLException e) {
      throw fail("read which days are staged", e);
    }
  }

  // ---------------------------------------------------------------- state and status

  /** Sets a named fact that survives restarts; a null value clears it. */
  public void putState(String key, String value, Instant at) {
    heal();
    try (PreparedStatement ps = conn.prepareStatement("INSERT OR REPLACE INTO agent_state VALUES (?, ?, ?)")) {
      ps.setString(1, key);
      ps.setString(2, value);
      ps.setObject(3, at.atOffset(ZoneOffset.UTC));
      ps.executeUpdate();
    } catch (SQLException e) {
      throw fail("record " + key, e);
    }
  }

  /** A named fact and when it was set, or null. */
  public Map.Entry<String, Instant> state(String key) {
    try (Connection c = reader()) {
      return state(c, key);
    } catch (SQLException e) {
      throw fail("read " + key, e);
    }
  }

  private Map.Entry<String, Instant> state(Connection c, String key) {
    try (PreparedStatement ps = c.prepareStatement("SELECT value, updated_at FROM agent_state WHERE key = ? AND value IS NOT NULL")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Map.entry(String.valueOf(rs.getString(1)), instant(rs, 2)) : null;
      }
    } catch (SQLException e) {
      throw fail("read " + key, e);
    }
  }

  /** The figures {@code status} prints. */
  public StoreStats stats(LocalDate today) {
    try (Connection c = reader(); PreparedStatement ps = c.prepareStatement("""
        SELECT (SELECT count(*) FROM heartbeats),
               (SELECT count(*) FROM heartbeats WHERE report_day = ?),
               greatest((SELECT max("timestamp") FROM heartbeats), (SELECT max(report_ts) FROM seen_files)),
               (SELECT count(*) FROM quarantine),
               (SELECT max(exported_at) FROM exports)
        """)) {
      ps.setObject(1, today);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        Map.Entry<String, Instant> err = state(c, "rollover.error");
        return new StoreStats(rs.getLong(1), rs.getLong(2), instant(rs, 3), rs.getLong(4), instant(rs, 5),
            err == null ? null : err.getKey(), err == null ? null : err.getValue());
      }
    } catch (SQLException e) {
      throw fail("read status", e);
    }
  }

  /**
   * Runs one statement on a connection of its own, inside a transaction that is always rolled back,
   * and returns at most {@code maxRows} rows. Whatever the statement changed is undone. For the
   * product's own SQL only: what users send goes through {@link UserQueries}, which checks it first.
   */
  public QueryResult query(String sql, int maxRows, java.time.Duration timeout) {
    try (Connection c = reader(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      try {
        s.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
        s.setMaxRows(maxRows + 1);
        return s.execute(sql) ? rows(s.getResultSet(), maxRows)
            : new QueryResult(List.of("count"), List.of(List.of(s.getUpdateCount())), false);
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw new QueryException(explain(e), e);
    }
  }

  /** As {@link #query(String, int, java.time.Duration)} with a 30 s timeout. */
  public QueryResult query(String sql, int maxRows) {
    return query(sql, maxRows, java.time.Duration.ofSeconds(30));
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

  private static QueryResult rows(ResultSet rs, int maxRows) throws SQLException {
    try (rs) {
      List<String> columns = columnLabels(rs);
      List<List<Object>> rows = new ArrayList<>();
      boolean truncated = false;
      while (rs.next()) {
        if (rows.size() == maxRows) {
          truncated = true;
          break;
        }
        List<Object> row = new ArrayList<>(columns.size());
        for (int i = 1; i <= columns.size(); i++) {
          row.add(Values.toPlain(rs.getObject(i)));
        }
        rows.add(row);
      }
      return new QueryResult(columns, rows, truncated);
    }
  }

  String explain(SQLException e) {
    String msg = String.valueOf(e.getMessage()).strip();
    if (msg.contains("INTERRUPT")) {
      return "the query ran past its time limit and was cancelled";
    }
    // The driver puts its own line first and DuckDB's real reason after it.
    String pending = "Attempting to execute an unsuccessful or closed pending query result";
    if (msg.contains(pending)) {
      String cause = msg.substring(msg.indexOf(pending) + pending.length()).strip();
      cause = cause.startsWith("Error: ") ? cause.substring("Error: ".length()) : cause;
      if (cause.isEmpty() || cause.contains("Permission Error") || cause.contains("file system operations are disabled")) {
        return "the query was refused: SQL may read files only under " + folders
            + (cause.isEmpty() ? "" : " (" + cause.lines().findFirst().orElse("") + ")");
      }
      return cause;
    }
    return msg;
  }

  /** Reports from {@code from} to {@code to}, oldest first: epoch ms, filename, status, checks JSON, duration. */
  public QueryResult reportsBetween(Instant from, Instant to, int maxRows) {
    return query("""
        SELECT epoch_ms("timestamp") AS at, filename, status, checks::VARCHAR AS checks, duration_ms
        FROM all_heartbeats
        WHERE "timestamp" >= to_timestamp(%d / 1000.0) AND "timestamp" <= to_timestamp(%d / 1000.0)
        ORDER BY "timestamp"
        """.formatted(from.toEpochMilli(), to.toEpochMilli()), maxRows);
  }

  /** The newest report in full: epoch ms, filename, status, duration, checks JSON, summary, path, ingested (ms). */
  public QueryResult latestReport() {
    String latest = """
        SELECT epoch_ms("timestamp") AS at, filename, status, duration_ms, checks::VARCHAR AS checks, summary,
               source_path, epoch_ms(ingested_at) AS ingested_at, report_day
        FROM %s ORDER BY "timestamp" DESC LIMIT 1
        """;
    // The newest report is staged unless every day since the newest pruned one is gone from staging;
    // reading the staged rows alone spares a look into every Parquet file (measured: 1 ms, not 50-80).
    QueryResult staged = query(latest.formatted("heartbeats"), 1);
    List<List<Object>> newestPruned = query("SELECT max(day) FROM exports WHERE pruned", 1).rows();
    Object prunedDay = newestPruned.isEmpty() ? null : newestPruned.get(0).get(0);
    boolean stagedIsNewest = !staged.rows().isEmpty()
        && (prunedDay == null || String.valueOf(staged.rows().get(0).get(8)).compareTo(String.valueOf(prunedDay)) > 0);
    QueryResult r = stagedIsNewest ? staged : query(latest.formatted(HistoryView.NAME), 1);
    List<List<Object>> rows = r.rows().stream().map(row -> row.subList(0, 8)).toList();
    return new QueryResult(r.columns().subList(0, 8), rows, false);
  }

  /** When the newest report's status began: the first report after the last one with another status; null without reports. */
  public Instant statusSince() {
    QueryResult r = query("""
        WITH latest AS (SELECT status FROM all_heartbeats ORDER BY "timestamp" DESC LIMIT 1)
        SELECT epoch_ms(min("timestamp")) FROM all_heartbeats
        WHERE "timestamp" > coalesce((SELECT max("timestamp") FROM all_heartbeats
                                      WHERE status <> (SELECT status FROM latest)), '-infinity'::TIMESTAMPTZ)
        """, 1);
    Object ms = r.rows().isEmpty() ? null : r.rows().get(0).get(0);
    return ms == null ? null : Instant.ofEpochMilli(((Number) ms).longValue());
  }

  /** The newest quarantine entries, at most {@code limit}: path, reason, line, epoch ms seen. */
  public QueryResult quarantineList(int limit) {
    return query("SELECT path, reason, line, epoch_ms(seen_at) AS seen_at FROM quarantine ORDER BY seen_at DESC, path LIMIT "
        + limit, limit);
  }

  /** Flushes the write-ahead log into the database file. */
  public void checkpoint() {
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

  @Override
  public void close() {
    try {
      conn.close();
    } catch (SQLException e) {
      throw fail("close", e);
    }
  }

  private void closeQuietly() {
    try {
      conn.close();
    } catch (SQLException ignored) {
      // Opening failed; that failure is what the caller reports.
    }
  }

  // ---------------------------------------------------------------- helpers

  /** The writer's connection, reopened first if DuckDB invalidated it; writer thread only (for {@link BulkLoad}). */
  DuckDBConnection writer() {
    heal();
    return conn;
  }

  /** A failure of the writer's connection, as every other write reports it (for {@link BulkLoad}). */
  StoreException failure(String what, SQLException e) {
    return fail(what, e);
  }

  /** A connection of its own for reads from any thread, in the configured zone. */
  Connection reader() throws SQLException {
    return conn.duplicate();
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static List<String> quoted(List<String> names) {
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

  static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private void rollbackQuietly() {
    try (Statement s = conn.createStatement()) {
      s.execute("ROLLBACK");
    } catch (SQLException ignored) {
      // After a failed COMMIT DuckDB has rolled back already ("no transaction is active"); the
      // original failure is what the caller reports.
    }
  }

  private StoreException fail(String what, SQLException e) {
    String msg = String.valueOf(e.getMessage());
    if (msg.contains("database has been invalidated") || msg.contains("FATAL Error")) {
      invalidated = true; // whoever saw it, the writer reopens the database before its next write
    }
    return new StoreException("staging database " + file + ": cannot " + what + ": " + e.getMessage(), e);
  }
}
