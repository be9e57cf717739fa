package com.luka02.heartbeat.store;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.OwnerOnly;
import org.duckdb.DuckDBConnection;
import java.io.IOException;
import java.sql.SQLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The persistent DuckDB staging database; every SQL statement of the product lives in its package.
 *
 * <p>One instance owns the file for writing (DuckDB allows one writing process). The methods of
 * {@link StoreReader} read on connections of their own and may run on any thread; every other
 * method here is the writer's and belongs to one thread. The work is done by package-private parts:
 * {@link Database} and {@link Schema} (opening), {@link Transactions}, {@link Staging} and
 * {@link Quarantine}, {@link ExportLedger}, {@link ParquetFiles}, {@link StateTable} and
 * {@link QuerySurface}.
 */
public final class StagingStore implements StoreReader, AutoCloseable {
  /** The ten columns of the old exporter's Parquet files, in order (shared FORMAT.md). */
  public static final List<String> LEGACY_COLUMNS = List.of(
      "filename", "report_type", "timestamp", "status", "duration_ms", "redis_status",
      "database_status", "api_status", "launchagent_optimizer", "launchagent_digest");
  /** Every report column of {@code heartbeats}, in order, as {@code schema.sql} declares them. */
  public static final List<String> COLUMNS = Columns.names();

  /** A file found by a walk, as compared with what was recorded. */
  public record WalkedFile(String path, long size, long mtimeMs) {}

  /** What a walk found changed: new or different paths with their record (null when new), and recorded files now gone. */
  public record Changes(Map<String, SeenFile> changed, List<String> vanished) {}

  /** What verification reads back from a Parquet file. */
  public record ParquetCheck(long rows, List<String> columns, List<String> codecs) {}

  /** The facts a day's summary shows, read from its Parquet file. */
  public record DayFacts(Map<String, Long> byStatus, List<Instant> timestamps, List<String> checksJson) {}

  /** What restoring one archived day file found. */
  public record ArchivedDay(long rowsInFile, long rowsRestored, boolean sameAsStaged) {}

  private final Database db;
  private final Transactions tx;
  private final Staging staging;
  private final ExportLedger ledger;
  private final ParquetFiles parquet;
  private final QuerySurface reads;

  private StagingStore(Database db, Path root, Transactions.Faults faults) {
    this.db = db;
    this.tx = new Transactions(db, faults);
    this.staging = new Staging(db, tx);
    this.ledger = new ExportLedger(db, tx, root);
    this.parquet = new ParquetFiles(db, tx, ledger);
    this.reads = new QuerySurface(db);
  }

  /** Opens (creating if needed) the configured database for writing, with SQL confined to the configured folders. */
  public static StagingStore open(Config config) {
    return open(config.stagingDb(), config.zone(), config.sqlFolders(), engine(config), config.root(), Transactions.NO_FAULTS);
  }

  /** The memory and threads the configuration gives DuckDB. */
  public static EngineLimits engine(Config config) {
    return new EngineLimits(config.sqlLimits().memoryLimitMb(), config.sqlLimits().threads());
  }

  /** Opens (creating if needed) the database for writing; SQL may touch files in its folder only. */
  public static StagingStore open(Path file, ZoneId zone) {
    return open(file, zone, List.of(file.toAbsolutePath().getParent()));
  }

  /** Opens (creating if needed) the database for writing; SQL may touch files under {@code folders} only. */
  public static StagingStore open(Path file, ZoneId zone, List<Path> folders) {
    return open(file, zone, folders, EngineLimits.DEFAULT, null, Transactions.NO_FAULTS);
  }

  /** As above, with DuckDB held to {@code engine}'s memory and threads. */
  public static StagingStore open(Path file, ZoneId zone, List<Path> folders, EngineLimits engine) {
    return open(file, zone, folders, engine, null, Transactions.NO_FAULTS);
  }

  static StagingStore open(Path file, ZoneId zone, List<Path> folders, Transactions.Faults faults) {
    return open(file, zone, folders, EngineLimits.DEFAULT, null, faults);
  }

  private static StagingStore open(Path file, ZoneId zone, List<Path> folders, EngineLimits engine, Path root,
      Transactions.Faults faults) {
    try {
      // Owner-only: the rows hold whatever the reports say, credentials pasted into errors included.
      OwnerOnly.createDirectories(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new StoreException("cannot create the folder of " + file + ": " + e.getMessage(), e);
    }
    StagingStore store = new StagingStore(Database.connect(file, zone, false, folders, engine), root, faults);
    try {
      Schema.apply(store.db);
      Schema.followZone(store.db, store.tx);
      Schema.lockDown(store.db);
      store.ledger.refreshHistory();
    } catch (RuntimeException e) {
      store.db.closeQuietly();
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
    StagingStore store = new StagingStore(Database.connect(file, zone, true, folders, engine), null, Transactions.NO_FAULTS);
    try {
      Schema.lockDown(store.db);
    } catch (RuntimeException e) {
      store.db.closeQuietly();
      throw e;
    }
    return store;
  }

  /** The store's private folder beside its file, for bulk-load CSV files and DuckDB's spill files. */
  public Path workFolder() {
    return db.workFolder();
  }

  /** The reads that run on any thread; for {@link UserQueries}, which runs users' SQL beside them. */
  QuerySurface reads() {
    return reads;
  }

  /** Compares a walk with the files recorded as seen, inside DuckDB. */
  public Changes changes(List<WalkedFile> walked, boolean withVanished) {
    return staging.changes(walked, withVanished);
  }

  /** What is recorded about each of {@code paths} that has a record (see {@link Staging#seenFiles}). */
  public Map<String, SeenFile> seenFiles(Collection<String> paths) {
    return staging.seenFiles(paths);
  }

  /** Stages parsed files and records quarantined ones in one transaction, at most one entry per path and per timestamp. */
  public StageCounts stage(List<StagedFile> files, List<QuarantinedFile> bad, Instant now, boolean replaceAll) {
    return staging.stage(files, bad, now, replaceAll);
  }

  /** Runs {@code work} in one transaction, or inside the caller's when one is open, which alone commits. */
  public <T> T inTransaction(Supplier<T> work) {
    return tx.run("run a transaction", work::get);
  }

  /** Runs {@code told} once the open transaction has committed (now when none is open); never when it rolls back. */
  public void afterCommit(Runnable told) {
    tx.afterCommit(told);
  }

  /** Forgets files that no longer exist; their rows stay, since the rows are the record. */
  public void forgetPaths(Collection<String> paths) {
    staging.forgetPaths(paths);
  }

  /** Days up to {@code through} with rows that their Parquet file does not hold yet. */
  public List<DayExport> daysToExport(LocalDate through) {
    return ledger.daysToExport(through);
  }

  /** Number of staged rows of one day, and the newest ingestion among them. */
  public DayExport stagedDay(LocalDate day) {
    return ledger.stagedDay(day);
  }

  /** Writes one day's {@code columns} to {@code target} as Snappy Parquet, with {@code previous}'s unstaged rows; returns the row count. */
  public long copyDayToParquet(LocalDate day, Path target, Path previous, List<String> columns) {
    return parquet.copyDay(day, target, previous, columns);
  }

  /** Row count, column names and compression codecs of a Parquet file, read back through DuckDB. */
  public ParquetCheck inspectParquet(Path file) {
    return parquet.inspect(file);
  }

  /** Reads back what a summary needs from an exported Parquet file. */
  public DayFacts dayFacts(Path file) {
    return parquet.dayFacts(file);
  }

  /** Records a verified export holding the day's rows through change {@code changedThrough}; call only once the file has its final name. */
  public void recordExport(ExportRecord r, long changedThrough) {
    ledger.record(r, changedThrough);
  }

  /** Rebuilding after damage: stages the rows of an archived day file that no staged row holds, and records the file. */
  public ArchivedDay importArchivedDay(LocalDate day, Path file, List<String> fileColumns, String relFile,
      String sha256, long bytes, Instant exportedAt) {
    return parquet.importArchivedDay(day, file, fileColumns, relFile, sha256, bytes, exportedAt);
  }

  /** Exports of days that no longer have any staged row and were never pruned: their rows moved elsewhere. */
  public List<ExportRecord> exportsWithoutRows() {
    return ledger.withoutRows();
  }

  /** Removes a day from the ledger; call after its file is gone. */
  public void forgetExport(LocalDate day) {
    ledger.forget(day);
  }

  /** Deletes staged rows of days before {@code before} that their export holds; inside the caller's transaction when one is open. */
  public long pruneExported(LocalDate before) {
    return ledger.prune(before);
  }

  /** Sets a named fact that survives restarts; a null value clears it. */
  public void putState(StateKey key, String value, Instant at) {
    StateTable.put(db, key, value, at);
  }

  /** Flushes the write-ahead log into the database file. */
  public void checkpoint() {
    db.checkpoint();
  }

  @Override
  public void close() {
    db.close();
  }

  // The reads of StoreReader, safe on any thread.

  @Override
  public StoreStats stats(LocalDate today) {
    return reads.stats(today);
  }

  @Override
  public List<ExportRecord> exports(int limit) {
    return ledger.newest(limit);
  }

  /** The writer's connection, reopened first if DuckDB invalidated it; writer thread only (for {@link BulkLoad}). */
  DuckDBConnection writer() {
    db.heal();
    return (DuckDBConnection) db.writer();
  }

  /** Marks the open transaction as one that stages reports: its commit clears a staging failure (for {@link BulkLoad}). */
  void staging() {
    tx.staging();
  }

  /** A failure of the writer's connection, as every other write reports it (for {@link BulkLoad}). */
  StoreException failure(String what, SQLException e) {
    return db.fail(what, e);
  }

  @Override
  public HistorySpan historySpan() {
    return ledger.historySpan();
  }

  @Override
  public Map.Entry<String, Instant> state(StateKey key) {
    return StateTable.read(db, key);
  }

  @Override
  public String stagingFailure() {
    return tx.stagingFailure();
  }

  @Override
  public QueryResult query(String sql, int maxRows, Duration timeout) {
    return reads.query(sql, maxRows, timeout);
  }

  @Override
  public QueryResult reportsBetween(Instant from, Instant to, int maxRows) {
    return reads.reportsBetween(from, to, maxRows);
  }

  @Override
  public QueryResult latestReport() {
    return reads.latestReport();
  }

  @Override
  public Instant statusSince() {
    return reads.statusSince();
  }

  @Override
  public QueryResult quarantineList(int limit) {
    return reads.quarantineList(limit);
  }
}
