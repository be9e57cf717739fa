package com.luka02.heartbeat.ingest;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.Redaction;
import com.luka02.heartbeat.report.Check;
import com.luka02.heartbeat.report.Heartbeat;
import com.luka02.heartbeat.report.ReportFormatException;
import com.luka02.heartbeat.report.ReportParser;
import com.luka02.heartbeat.store.BulkLoad;
import com.luka02.heartbeat.store.QuarantinedFile;
import com.luka02.heartbeat.store.SeenFile;
import com.luka02.heartbeat.store.StageCounts;
import com.luka02.heartbeat.store.StagedFile;
import com.luka02.heartbeat.store.StagingStore;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns heartbeat files into staged rows or quarantine entries: the whole tree at once (catch-up)
 * or a few settled files (the watcher). Runs on the single thread that writes the store.
 */
public final class Ingester {
  private static final Logger log = LoggerFactory.getLogger(Ingester.class);
  /** Files read, parsed and staged together; bounds memory, not transactions. */
  private static final int BATCH = 1024;
  /**
   * Files staged in one transaction: each commit costs DuckDB a write of the log and a checkpoint,
   * while the uncommitted rows are held in its memory (bounded by its memory limit).
   */
  private static final int COMMIT_FILES = 32_768;
  /** A report dated further ahead than this is not believed. */
  private static final Duration FUTURE_TOLERANCE = Duration.ofDays(1);
  private static final Pattern NAME_DATE = Pattern.compile("^heartbeat_(\\d{4}-\\d{2}-\\d{2})_");
  /** Conflict copies ("heartbeat_X 2.md") lose to the original when both hold one report. */
  private static final Comparator<StagedFile> PREFERRED = Comparator
      .comparingInt((StagedFile f) -> f.fileName().length())
      .thenComparing(StagedFile::path);
  /** {@link #PREFERRED} on relative paths. */
  static final Comparator<String> PREFERRED_PATH = Comparator
      .comparingInt((String p) -> p.length() - p.lastIndexOf('/') - 1)
      .thenComparing(Comparator.naturalOrder());

  private final Config config;
  private final StagingStore store;
  private final Clock clock;
  private final StageListener listener;
  private final int batch;
  private final int commitFiles;

  public Ingester(Config config, StagingStore store, Clock clock) {
    this(config, store, clock, StageListener.NONE);
  }

  public Ingester(Config config, StagingStore store, Clock clock, StageListener listener) {
    this(config, store, clock, listener, BATCH, COMMIT_FILES);
  }

  /** As above, with a catch-up read {@code batch} files at a time and committed every {@code commitFiles}. */
  Ingester(Config config, StagingStore store, Clock clock, StageListener listener, int batch, int commitFiles) {
    this.config = config;
    this.store = store;
    this.clock = clock;
    this.listener = listener;
    this.batch = batch;
    this.commitFiles = commitFiles;
  }

  /** Walks the reports tree and stages what is new or changed; unchanged files are not read. */
  public CatchupResult catchup(CatchupOptions options) throws IOException {
    return catchup(options, Instant.MAX, young -> { });
  }

  /**
   * As {@link #catchup(CatchupOptions)}, but files modified after {@code modifiedBefore} may still be
   * being written: they go to {@code young} instead of being read now.
   */
  public CatchupResult catchup(CatchupOptions options, Instant modifiedBefore, Consumer<Path> young)
      throws IOException {
    return catchup(options, modifiedBefore, young, w -> { });
  }

  /** As above, and hands the walk to {@code walked} before staging, for the quick check's index. */
  CatchupResult catchup(CatchupOptions options, Instant modifiedBefore, Consumer<Path> young,
      Consumer<ReportFiles.Walk> onWalk) throws IOException {
    long start = System.nanoTime();
    ReportFiles.Walk walk = ReportFiles.walk(config.reportsDir(), config.summaryDir());
    onWalk.accept(walk);
    long walked = System.nanoTime();
    long ignored = walk.ignored();
    Map<String, ReportFiles.Entry> regular = new HashMap<>();
    for (ReportFiles.Entry e : walk.entries()) {
      if (e.attrs().isRegularFile()) {
        regular.put(config.relative(e.path()), e);
      } else {
        ignored++;
        log.debug("{}: ignored, not a regular file", e.path());
      }
    }
    StagingStore.Changes changes = changes(regular, options);
    Map<String, SeenFile> seen = changes.changed();
    long loaded = System.nanoTime();
    List<ReportFiles.Entry> toRead = new ArrayList<>();
    long inScope = 0;
    for (Map.Entry<String, ReportFiles.Entry> r : regular.entrySet()) {
      ReportFiles.Entry e = r.getValue();
      if (options.since() != null && reportDay(e).isBefore(options.since())) {
        continue;
      }
      inScope++;
      if (!options.reparse() && !seen.containsKey(r.getKey())) {
        continue; // size and mtime as recorded: not read
      }
      if (e.attrs().lastModifiedTime().toInstant().isAfter(modifiedBefore)) {
        young.accept(e.path());
      } else {
        toRead.add(e);
      }
    }
    sortByTime(toRead);
    long unchanged = inScope - toRead.size();
    long compared = System.nanoTime();
    List<String> vanished = changes.vanished();
    long[] counts = options.dryRun() ? dryRun(toRead, seen, options)
        : new CatchupPipeline(this, store, config, clock, batch, commitFiles)
            .run(toRead, seen, options.reparse());
    store.forgetPaths(vanished);
    long staged = System.nanoTime();
    long forgotten = vanished.size();
    CatchupResult result = new CatchupResult(walk.entries().size(), counts[0], counts[1], unchanged + counts[2],
        ignored, counts[3], forgotten, (System.nanoTime() - start) / 1_000_000, options.dryRun());
    log.info("catch-up of {}: {}", config.reportsDir(), result.describe());
    log.debug("catch-up phases: walk {} ms, compare in store {} ms, select {} ms, read+stage {} ms, forget {} ms",
        ms(walked - start), ms(loaded - walked), ms(compared - loaded), ms(staged - compared), ms(System.nanoTime() - staged));
    return result;
  }

  /**
   * What changed since the last catch-up. A store that never recorded a file (a first catch-up)
   * needs no comparison: every file is new and none vanished.
   */
  private StagingStore.Changes changes(Map<String, ReportFiles.Entry> regular, CatchupOptions options) {
    if (new BulkLoad(store).nothingSeen()) {
      Map<String, SeenFile> all = new HashMap<>(regular.size() * 2);
      regular.keySet().forEach(k -> all.put(k, null));
      return new StagingStore.Changes(all, List.of());
    }
    return store.changes(regular.entrySet().stream()
        .map(e -> new StagingStore.WalkedFile(e.getKey(), e.getValue().attrs().size(),
            e.getValue().attrs().lastModifiedTime().toMillis()))
        .toList(), options.since() == null && !options.dryRun());
  }

  /**
   * Reports in time order, so that each day's rows sit together in the table: a rollover of one day
   * then reads one day's worth, however much is staged. The name carries the time; a conflict copy
   * ("heartbeat_X 2.md") follows its original, and equal names follow their paths, so that the file
   * {@link #PREFERRED} puts first for a report is normally the first read.
   */
  private static void sortByTime(List<ReportFiles.Entry> files) {
    record Keyed(long time, String key, ReportFiles.Entry entry) {}
    List<Keyed> keyed = new ArrayList<>(files.size());
    for (ReportFiles.Entry e : files) {
      String path = e.path().toString(); // made once already, for the relative path
      String name = path.substring(path.lastIndexOf(java.io.File.separatorChar) + 1);
      String stem = name.endsWith(".md") ? name.substring(0, name.length() - 3) : name;
      // One string compares as (stem, name length, path): NUL sorts before any character of a name.
      keyed.add(new Keyed(nameTime(name), stem + '\0' + (char) name.length() + path, e));
    }
    // The time in the name decides almost every comparison: a year's sort took 0.6 s on strings alone.
    keyed.sort(Comparator.comparingLong(Keyed::time).thenComparing(Keyed::key));
    files.clear();
    keyed.forEach(k -> files.add(k.entry()));
  }

  /**
   * The monitor's name {@code heartbeat_YYYY-MM-DD_HH-MM-SS...} as the number YYYYMMDDHHMMSS, which
   * orders as the name does; 0 for any other name (those sort first, by name).
   */
  static long nameTime(String name) {
    String shape = "heartbeat_0000-00-00_00-00-00";
    if (name.length() < shape.length()) {
      return 0;
    }
    long time = 0;
    for (int i = "heartbeat_".length(); i < shape.length(); i++) {
      char c = name.charAt(i);
      if (shape.charAt(i) == '0') {
        if (c < '0' || c > '9') {
          return 0;
        }
        time = time * 10 + (c - '0');
      } else if (c != shape.charAt(i)) {
        return 0;
      }
    }
    return name.startsWith("heartbeat_") ? time : 0;
  }

  /** Counts what a catch-up would do, in batches, writing nothing. */
  private long[] dryRun(List<ReportFiles.Entry> toRead, Map<String, SeenFile> seen, CatchupOptions options) {
    long[] counts = new long[4]; // added, updated, unchanged, quarantined
    for (int from = 0; from < toRead.size(); from += BATCH) {
      List<ReportFiles.Entry> batch = toRead.subList(from, Math.min(toRead.size(), from + BATCH));
      List<Outcome> outcomes = batch.parallelStream().map(e -> examine(e.path(), e.attrs(), true)).toList();
      tally(outcomes, seen, options, counts);
    }
    return counts;
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }

  private void tally(List<Outcome> outcomes, Map<String, SeenFile> seen, CatchupOptions options, long[] counts) {
    List<StagedFile> parsed = new ArrayList<>();
    List<QuarantinedFile> bad = new ArrayList<>();
    for (Outcome o : outcomes) {
      if (o instanceof Outcome.Parsed p) {
        parsed.add(p.file());
      } else if (o instanceof Outcome.Bad b) {
        bad.add(b.file());
      }
    }
    if (options.dryRun()) {
      for (StagedFile f : parsed) {
        SeenFile s = seen.get(f.path());
        counts[s == null ? 0 : s.contentHash().equals(f.contentHash()) ? 2 : 1]++;
      }
      counts[3] += bad.size();
      return;
    }
    StageCounts c = stage(parsed, bad, options.reparse());
    counts[0] += c.inserted();
    counts[1] += c.replaced();
    counts[2] += c.unchanged();
    counts[3] += c.quarantined();
  }

  /**
   * Stages files the watcher found settled. With {@code finalAttempt} false, a file that looks
   * unfinished or does not parse is reported {@link Outcome.NotReady} instead of quarantined.
   */
  public Map<Path, Outcome> ingest(List<Path> files, boolean finalAttempt) {
    Map<Path, Outcome> outcomes = new HashMap<>();
    for (Path file : files) {
      outcomes.put(file, examineSettled(file, finalAttempt));
    }
    Map<String, SeenFile> seen = store.seenFiles(recordedPaths(outcomes.values()));
    List<StagedFile> parsed = new ArrayList<>();
    List<QuarantinedFile> bad = new ArrayList<>();
    List<String> gone = new ArrayList<>();
    for (Map.Entry<Path, Outcome> e : outcomes.entrySet()) {
      Outcome o = e.getValue();
      if (o instanceof Outcome.Parsed p) {
        if (unchanged(p.file(), seen.get(p.file().path()))) {
          e.setValue(Outcome.UNCHANGED);
        } else {
          parsed.add(p.file());
        }
      } else if (o instanceof Outcome.Bad b) {
        if (alreadyQuarantined(b.file(), seen.get(b.file().path()))) {
          e.setValue(Outcome.UNCHANGED);
        } else {
          bad.add(b.file());
        }
      } else if (o instanceof Outcome.Gone) {
        gone.add(config.relative(e.getKey()));
      }
    }
    stage(parsed, bad, false);
    store.forgetPaths(gone);
    return outcomes;
  }

  private Outcome examineSettled(Path file, boolean finalAttempt) {
    try {
      BasicFileAttributes attrs = ReportFiles.stat(file);
      return attrs == null ? Outcome.GONE : examine(file, attrs, finalAttempt);
    } catch (IOException e) {
      return new Outcome.NotReady("cannot read: " + e.getMessage());
    }
  }

  /** The paths whose records decide whether a parsed or bad file changes anything. */
  private static List<String> recordedPaths(Collection<Outcome> outcomes) {
    List<String> paths = new ArrayList<>();
    for (Outcome o : outcomes) {
      if (o instanceof Outcome.Parsed p) {
        paths.add(p.file().path());
      } else if (o instanceof Outcome.Bad b) {
        paths.add(b.file().path());
      }
    }
    return paths;
  }

  /** Staged before with these bytes, this size and mtime: nothing to write. */
  private static boolean unchanged(StagedFile f, SeenFile s) {
    return s != null && s.contentHash().equals(f.contentHash()) && s.reportTs() != null
        && s.size() == f.size() && s.mtimeMs() == f.mtimeMs();
  }

  /**
   * The watcher hands a file over for every event, and a reconcile touches every young file again:
   * an unchanged file already in quarantine is not quarantined, counted and logged a second time.
   */
  private static boolean alreadyQuarantined(QuarantinedFile q, SeenFile s) {
    return s != null && s.reportTs() == null && s.size() == q.size() && s.mtimeMs() == q.mtimeMs()
        && java.util.Objects.equals(s.contentHash(), q.contentHash() == null ? s.contentHash() : q.contentHash());
  }

  /** Forgets deleted files; their rows stay. */
  public void forget(List<Path> files) {
    store.forgetPaths(files.stream().map(config::relative).toList());
  }

  /** Tells the listener about reports a catch-up appended (see {@link CatchupPipeline}). */
  void appended(List<StagedFile> files) {
    if (log.isDebugEnabled() && files.size() <= 100) {
      for (StagedFile f : files) {
        log.debug("staged {} ({})", f.path(), f.heartbeat().timestamp());
      }
    }
    // Told after the commit, as every stage is (see StageListener).
    store.afterCommit(() -> listener.committed(files, List.of(), new StageCounts(files.size(), 0, 0, 0)));
  }

  StageCounts stage(List<StagedFile> parsed, List<QuarantinedFile> bad, boolean replaceAll) {
    if (parsed.isEmpty() && bad.isEmpty()) {
      return StageCounts.NONE;
    }
    parsed.sort(PREFERRED);
    // The store takes at most one file per report in a transaction: copies of a report (a duplicated
    // tree, a conflict copy) follow in later rounds, where they find the preferred file's row.
    List<List<StagedFile>> rounds = onePerReport(parsed);
    StageCounts c = store.stage(rounds.get(0), bad, clock.instant(), replaceAll);
    for (List<StagedFile> copies : rounds.subList(1, rounds.size())) {
      c = c.plus(store.stage(copies, List.of(), clock.instant(), false));
    }
    if (log.isDebugEnabled() && parsed.size() <= 100) {
      for (StagedFile f : parsed) {
        log.debug("staged {} ({})", f.path(), f.heartbeat().timestamp());
      }
    }
    for (QuarantinedFile q : bad) {
      log.warn("quarantined {}: {}", q.path(), q.reason());
    }
    StageCounts counts = c;
    store.afterCommit(() -> listener.committed(parsed, bad, counts)); // a catch-up stages inside its transaction
    return c;
  }

  /** Splits files, in order, into lists holding each report at most once; the first list may be empty. */
  private static List<List<StagedFile>> onePerReport(List<StagedFile> files) {
    List<List<StagedFile>> rounds = new ArrayList<>(List.of(new ArrayList<>()));
    Map<Instant, Integer> copies = new HashMap<>();
    for (StagedFile f : files) {
      int round = copies.merge(f.heartbeat().timestamp(), 1, Integer::sum) - 1;
      if (round == rounds.size()) {
        rounds.add(new ArrayList<>());
      }
      rounds.get(round).add(f);
    }
    return rounds;
  }

  /** Reads, hashes and parses one file. Pure apart from reading the file; safe on many threads. */
  Outcome examine(Path file, BasicFileAttributes attrs, boolean finalAttempt) {
    String rel = config.relative(file);
    if (!attrs.isRegularFile()) {
      return new Outcome.Ignored(attrs.isSymbolicLink() ? "a symbolic link (never followed)" : "not a regular file");
    }
    long mtime = attrs.lastModifiedTime().toMillis();
    if (attrs.size() > config.maxFileBytes()) {
      return tooLarge(rel, attrs.size(), mtime);
    }
    byte[] bytes;
    try {
      bytes = ReportFiles.readBounded(file, config.maxFileBytes());
    } catch (NoSuchFileException e) {
      return Outcome.GONE;
    } catch (IOException e) {
      return finalAttempt
          ? new Outcome.Bad(new QuarantinedFile(rel, attrs.size(), mtime, null, "cannot read: " + e.getMessage(), 0, null))
          : new Outcome.NotReady("cannot read: " + e.getMessage());
    }
    if (bytes.length > config.maxFileBytes()) {
      return tooLarge(rel, bytes.length, mtime);
    }
    String hash = ReportFiles.sha256(bytes);
    try {
      Heartbeat hb = redact(ReportParser.parse(bytes, clock.instant().plus(FUTURE_TOLERANCE)));
      if (!finalAttempt && !hb.complete()) {
        return new Outcome.NotReady("no closing line yet");
      }
      LocalDate day = LocalDate.ofInstant(hb.timestamp(), config.zone());
      return new Outcome.Parsed(new StagedFile(rel, bytes.length, mtime, hash, hb, day));
    } catch (ReportFormatException e) {
      if (!finalAttempt) {
        return new Outcome.NotReady(e.getMessage());
      }
      String reason = bytes.length == 0 ? "expected a heartbeat report, found an empty file" : e.getMessage();
      Redaction r = config.redaction();
      return new Outcome.Bad(new QuarantinedFile(rel, bytes.length, mtime, hash, r.apply(reason), e.line(),
          r.apply(ReportFiles.excerpt(bytes))));
    }
  }

  /** Credentials pasted into messages never reach the store (see {@link Redaction}). */
  private Heartbeat redact(Heartbeat h) {
    Redaction r = config.redaction();
    if (!r.enabled()) {
      return h;
    }
    List<Check> checks = h.checks().stream()
        .map(c -> new Check(c.section(), c.label(), c.status(), r.apply(c.message())))
        .toList();
    return new Heartbeat(h.timestamp(), h.status(), h.durationMs(), checks, r.apply(h.summary()), h.complete());
  }

  private Outcome tooLarge(String rel, long size, long mtime) {
    return new Outcome.Bad(new QuarantinedFile(rel, size, mtime, null,
        "too large: expected a report of at most " + config.maxFileBytes() + " bytes (maxFileBytes), found " + size
            + " bytes; not read", 0, null));
  }

  private LocalDate reportDay(ReportFiles.Entry e) {
    LocalDate named = nameDate(e.path().getFileName().toString());
    return named != null ? named
        : LocalDate.ofInstant(Instant.ofEpochMilli(e.attrs().lastModifiedTime().toMillis()), config.zone());
  }

  /** The UTC date a heartbeat's name carries, or null when it has none. */
  static LocalDate nameDate(String name) {
    Matcher m = NAME_DATE.matcher(name);
    if (m.find()) {
      try {
        return LocalDate.parse(m.group(1), DateTimeFormatter.ISO_LOCAL_DATE);
      } catch (DateTimeParseException ignored) {
        // No date after all.
      }
    }
    return null;
  }
}
