package com.luka02.heartbeat.export;

import com.luka02.heartbeat.config.Config.ParquetLayout;
import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.io.AtomicFiles;
import com.luka02.heartbeat.io.Sha256;
import com.luka02.heartbeat.store.DayExport;
import com.luka02.heartbeat.store.ExportRecord;
import com.luka02.heartbeat.store.StagingStore.ParquetCheck;
import com.luka02.heartbeat.store.StateKey;
import com.luka02.heartbeat.store.StagingStore;
import com.luka02.heartbeat.store.StoreException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports staged days to verified Snappy Parquet files with a markdown summary, records each in
 * the ledger, then prunes what retention allows. Runs on the thread that writes the store.
 */
public final class Rollover {
  private static final Logger log = LoggerFactory.getLogger(Rollover.class);
  private static final DateTimeFormatter COMPACT = DateTimeFormatter.BASIC_ISO_DATE;

  /** Points where tests inject a crash or a corruption; production uses {@link #NONE}. */
  interface Faults {
    default void afterWrite(Path tmp) throws IOException {}

    default void beforeRename(Path tmp) throws IOException {}
  }

  static final Faults NONE = new Faults() {};

  private final Config config;
  private final StagingStore store;
  private final Clock clock;
  private final RolloverSchedule schedule;
  private final Faults faults;
  private final LakeLayout lake;
  private final ExportListener exported;

  public Rollover(Config config, StagingStore store, Clock clock) {
    this(config, store, clock, NONE, ExportListener.NONE);
  }

  /** A rollover that tells {@code exported} of every file it puts in place (the {@code onExport} hook). */
  public Rollover(Config config, StagingStore store, Clock clock, ExportListener exported) {
    this(config, store, clock, NONE, exported);
  }

  Rollover(Config config, StagingStore store, Clock clock, Faults faults) {
    this(config, store, clock, faults, ExportListener.NONE);
  }

  private Rollover(Config config, StagingStore store, Clock clock, Faults faults, ExportListener exported) {
    this.config = config;
    this.store = store;
    this.clock = clock;
    this.schedule = new RolloverSchedule(config.zone(), config.rolloverTime());
    this.faults = faults;
    this.lake = new LakeLayout(config);
    this.exported = exported;
  }

  public RolloverSchedule schedule() {
    return schedule;
  }

  /** The days a rollover now would export, with their staged row counts. */
  public List<DayExport> plan() {
    return store.daysToExport(schedule.lastDueDay(clock.instant()));
  }

  /** One day as {@code rollover --date} would export it. */
  public DayExport planDay(LocalDate day) {
    return exportable(store.stagedDay(day));
  }

  /**
   * Exports every due day that gained or changed rows since its last export, then prunes. A failed
   * day is logged, recorded for {@code status}, leaves the old file and the rows as they were, and is
   * due again next time.
   */
  public List<DayResult> runDue() {
    Instant started = clock.instant();
    cleanTemporaryFiles();
    removeEmptiedDays();
    List<DayResult> results = new ArrayList<>();
    for (DayExport day : plan()) {
      results.add(export(day));
    }
    boolean ok = results.stream().allMatch(DayResult::ok);
    if (ok) {
      store.putState(StateKey.ROLLOVER_ERROR, null, clock.instant());
      prune();
    }
    store.putState(StateKey.ROLLOVER_LAST_RUN, started.toString(), clock.instant());
    if (!results.isEmpty()) {
      log.info("rollover: {} day(s) exported, {} failed", results.stream().filter(DayResult::ok).count(),
          results.stream().filter(r -> !r.ok()).count());
      checkpoint();
    }
    return results;
  }

  /**
   * Writes the staged rows into the database file. DuckDB does so on its own only once its log holds
   * 16 MB, some 15,000 reports, which at a report every five minutes is seven weeks: until then the
   * rows stayed in its memory (11 MB by then) and were replayed from the log at every start.
   */
  private void checkpoint() {
    try {
      store.checkpoint();
    } catch (StoreException e) {
      log.warn("rollover: the rows stay in the store's log until its next checkpoint: {}", e.getMessage());
    }
  }

  /** What {@code rollover} does, or with {@code dryRun} would do: every due day, or only {@code date}. */
  public RolloverReport report(LocalDate date, boolean dryRun) {
    if (dryRun) {
      List<DayExport> days = date == null ? plan() : List.of(planDay(date));
      return new RolloverReport(true, days.stream().map(DayResult::planned).toList());
    }
    return new RolloverReport(false, date == null ? runDue() : List.of(exportDay(date)));
  }

  /** Exports one day whatever the ledger says. */
  public DayResult exportDay(LocalDate day) {
    DayExport staged = exportable(store.stagedDay(day));
    cleanTemporaryFiles();
    return export(staged);
  }

  /**
   * A day asked for by hand with nothing to export is a mistake in the request, not a failed
   * rollover: it is refused before anything runs, so it is neither logged as an error, nor shown on
   * the status page, nor counted in {@code heartbeat_rollover_failures_total}.
   */
  private DayExport exportable(DayExport day) {
    if (day.stagedRows() == 0 && !(day.previouslyPruned() && Files.exists(target(day.day())))) {
      throw new IllegalArgumentException("nothing to export for " + day.day() + ": no report of that day ("
          + config.zone().getId() + ") is staged, and it has no Parquet file to rewrite");
    }
    return day;
  }

  private DayResult export(DayExport day) {
    long start = System.nanoTime();
    Path target = target(day.day());
    Path tmp = null;
    try {
      String mixed = lake.mixedLayout();
      if (mixed != null) {
        return failed(day, start, mixed);
      }
      tmp = lake.temporary(target);
      Path previous = day.previouslyPruned() && Files.exists(target) ? target : null;
      if (day.stagedRows() == 0 && previous == null) {
        return failed(day, start, "no rows staged for " + day.day());
      }
      long rows = store.copyDayToParquet(day.day(), tmp, previous, lake.columns());
      faults.afterWrite(tmp);
      ParquetCheck check = verify(tmp, previous == null ? day.stagedRows() : rows);
      faults.beforeRename(tmp);
      AtomicFiles.commit(tmp, target);
      return recorded(day, target, check, start);
    } catch (IOException | RuntimeException e) {
      return failed(day, start, e.getMessage() == null ? e.toString() : e.getMessage());
    } finally {
      if (tmp != null) {
        deleteQuietly(tmp);
      }
    }
  }

  /** Writes the day's summary, then records the export in the ledger and tells whoever waits for it. */
  private DayResult recorded(DayExport day, Path target, ParquetCheck check, long start) throws IOException {
    String sha = Sha256.of(target);
    long bytes = Files.size(target);
    long ms = (System.nanoTime() - start) / 1_000_000;
    Instant now = clock.instant();
    String rel = config.relative(target);
    DayResult result = new DayResult(day.day(), check.rows(), rel, bytes, ms, null);
    // The summary before the ledger: a day counts as exported only once both files are in place,
    // so a summary that could not be written is retried with its day.
    writeSummary(day.day(), now, result, sha, check, target);
    store.recordExport(new ExportRecord(day.day(), check.rows(), rel, bytes, ms, now, sha,
        day.stagedThrough() == null ? now : day.stagedThrough()), day.changedThrough());
    log.info("rollover {}", result.describe());
    exported.exported(day.day(), target);
    return result;
  }

  private ParquetCheck verify(Path tmp, long expectedRows) throws IOException {
    ParquetCheck check = store.inspectParquet(tmp);
    List<String> expected = lake.columns();
    if (check.rows() != expectedRows) {
      throw new IOException("verification failed for " + tmp.getFileName() + ": expected " + expectedRows
          + " rows, read back " + check.rows());
    }
    if (!check.columns().equals(expected)) {
      throw new IOException("verification failed for " + tmp.getFileName() + ": expected columns " + expected
          + ", read back " + check.columns());
    }
    if (!check.codecs().equals(List.of("SNAPPY"))) {
      throw new IOException("verification failed for " + tmp.getFileName()
          + ": expected SNAPPY compression, parquet_metadata says " + check.codecs());
    }
    return check;
  }

  private void writeSummary(LocalDate day, Instant now, DayResult r, String sha, ParquetCheck check, Path file)
      throws IOException {
    Files.createDirectories(config.summaryDir());
    Path summary = config.summaryDir().resolve("parquet_export_summary_" + COMPACT.format(day) + ".md");
    AtomicFiles.writeString(summary, Summary.render(day, config.zone(), now, r, sha, check.columns(),
        store.dayFacts(file), config.cadence()));
  }

  private DayResult failed(DayExport day, long start, String error) {
    DayResult r = new DayResult(day.day(), 0, null, 0, (System.nanoTime() - start) / 1_000_000, error);
    log.error("rollover {}", r.describe());
    store.putState(StateKey.ROLLOVER_ERROR, r.describe(), clock.instant());
    return r;
  }

  /**
   * A day whose rows all moved to other days (the zone changed, or its reports were rewritten)
   * keeps no file: its rows are in their new days' files, and must not be counted twice.
   */
  private void removeEmptiedDays() {
    for (ExportRecord gone : store.exportsWithoutRows()) {
      try {
        Files.deleteIfExists(config.root().resolve(gone.file()));
        Files.deleteIfExists(config.summaryDir().resolve("parquet_export_summary_" + COMPACT.format(gone.day()) + ".md"));
        store.forgetExport(gone.day());
        log.warn("rollover: {} no longer has any rows (they moved to other days); removed {}", gone.day(), gone.file());
      } catch (IOException e) {
        log.warn("rollover: cannot remove {}, whose rows moved to other days: {}", gone.file(), e.getMessage());
      }
    }
  }

  private void prune() {
    if (config.retentionDays() == 0) {
      return;
    }
    LocalDate cutoff = LocalDate.ofInstant(clock.instant(), config.zone()).minusDays(config.retentionDays());
    long pruned = store.pruneExported(cutoff);
    if (pruned > 0) {
      log.info("retention: pruned {} exported rows older than {}", pruned, cutoff);
    }
  }

  Path target(LocalDate day) {
    return lake.target(day);
  }

  /** Temporary files left by a crash are never a final file; they are simply removed. */
  private void cleanTemporaryFiles() {
    List<Path> dirs = new ArrayList<>(List.of(config.stagingDb().getParent(), config.parquetDir(), config.summaryDir()));
    if (config.layout() == ParquetLayout.HIVE) {
      dirs.addAll(dayFolders());
    }
    for (Path dir : dirs) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*.tmp-*")) {
        for (Path f : files) {
          if (AtomicFiles.isLeftBehind(f)) {
            Files.deleteIfExists(f);
            log.info("removed {} left by an interrupted rollover", f);
          }
        }
      } catch (IOException e) {
        log.warn("cannot clean temporary files in {}: {}", dir, e.getMessage());
      }
    }
  }

  /** This host's {@code day=...} folders, where temporary files go when the store is on another filesystem. */
  private List<Path> dayFolders() {
    List<Path> days = new ArrayList<>();
    Path hostDir = config.parquetDir().resolve("host=" + config.host());
    if (!Files.isDirectory(hostDir)) {
      return days;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(hostDir, "day=*")) {
      dirs.forEach(days::add);
    } catch (IOException e) {
      log.warn("cannot list day folders in {}: {}", hostDir, e.getMessage());
    }
    return days;
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      log.warn("cannot remove temporary file {}: {}", p, e.getMessage());
    }
  }
}
