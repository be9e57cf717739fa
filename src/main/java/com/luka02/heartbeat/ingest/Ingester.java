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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns heartbeat files into staged rows or quarantine entries: the whole tree at once (catch-up)
 * or a few settled files (the watcher). Runs on the single thread that writes the store.
 */
public final class Ingester {
  private static final Logger log = LoggerFactory.getLogger(Ingester.class);
  /**
   * Files read, parsed and staged together; bounds memory, not transactions. The batches read ahead are
   * what each collection copies: a year's cold catch-up spent 0.66-0.69 s in the collector with 256
   * against 0.90-0.96 s with 1,024, and peaked at 350-360 MB RSS against 400-415 MB.
   */
  private static final int BATCH = 256;
  /**
   * Files staged in one transaction when nobody listens (the {@code catchup} and {@code recover}
   * commands): DuckDB's row group (122,880 rows). A commit that stages this many reports makes DuckDB
   * checkpoint, which compresses the table's last row group whole; commits of 8,192 had it compress
   * the same row group again and again as it filled (a year's catch-up: 4.5-5.2 s in one or two
   * transactions against 5.8-6.4 s in thirteen, peak RSS 355-385 MB against 350-377 MB, 2026-11-28).
   * The uncommitted rows wait in DuckDB's memory, within its limit; a crash loses at most this many
   * files' work, which the next catch-up redoes.
   */
  private static final int COMMIT_FILES = 122_880;
  /**
   * The same for the agent, whose listeners are told of every staged file after the commit: the files
   * wait in the heap until then, and a row group's worth would not fit the agent's (see README, Memory).
   */
  private static final int LISTENED_COMMIT_FILES = 8_192;
  /** A report dated further ahead than this is not believed. */
  private static final Duration FUTURE_TOLERANCE = Duration.ofDays(1);
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
  private final BulkLoad bulk;
  private final Clock clock;
  private final StageListener listener;
  private final int batch;
  private final int commitFiles;

  public Ingester(Config config, StagingStore store, Clock clock) {
    this(config, store, clock, StageListener.NONE);
  }

  public Ingester(Config config, StagingStore store, Clock clock, StageListener listener) {
    this(config, store, clock, listener, BATCH,
        listener == StageListener.NONE ? COMMIT_FILES : LISTENED_COMMIT_FILES);
  }

  /** As above, with a catch-up read {@code batch} files at a time and committed every {@code commitFiles}. */
  Ingester(Config config, StagingStore store, Clock clock, StageListener listener, int batch, int commitFiles) {
    this.config = config;
    this.store = store;
    this.bulk = new BulkLoad(store);
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
   * Starts walking {@code config}'s reports tree on a thread of its own, for a catch-up that has yet to
   * open its store: a command's catch-up walks while DuckDB loads and opens the file, which took
   * 0.2 s of the 0.3-0.4 s a year's walk takes. The walk lists the tree, then looks at each file it
   * found only if the catch-up asks for that ({@link Walking#get}); a first catch-up reads every file
   * anyway, and looks at each where it reads it ({@link Walking#listing}).
   */
  public static Walking walkAhead(Config config) {
    Walking walking = new Walking();
    Thread t = new Thread(() -> {
      try {
        ReportFiles.Listing listing = ReportFiles.listTree(config.reportsDir(), config.summaryDir());
        walking.listed.complete(listing);
        if (walking.looked.get()) {
          walking.walked.complete(ReportFiles.walk(listing));
        }
      } catch (InterruptedException e) {
        walking.walked.completeExceptionally(e);
      } catch (Throwable e) { // whatever it is, the catch-up waiting for the walk hears of it
        walking.listed.completeExceptionally(e);
        walking.walked.completeExceptionally(e);
      }
    }, "walk");
    t.setDaemon(true);
    t.start();
    return walking;
  }

  /** A walk started by {@link #walkAhead}, for {@link #catchup(CatchupOptions, Walking)}. */
  public static final class Walking {
    private final CompletableFuture<ReportFiles.Listing> listed = new CompletableFuture<>();
    /** Whether the walk looks at the files it listed: decided by the first of {@link #get} and {@link #listing}. */
    private final CompletableFuture<Boolean> looked = new CompletableFuture<>();
    private final CompletableFuture<ReportFiles.Walk> walked = new CompletableFuture<>();

    private Walking() {}

    /** The walk, every file looked at. */
    ReportFiles.Walk get() throws IOException {
      if (!looked.complete(true) && !looked.join()) {
        return ReportFiles.walk(await(listed)); // the listing was taken alone before
      }
      return await(walked);
    }

    /** The listing alone: its files are not looked at ({@link ReportFiles#unlooked}). */
    ReportFiles.Listing listing() throws IOException {
      looked.complete(false);
      return await(listed);
    }

    private static <T> T await(CompletableFuture<T> f) throws IOException {
      try {
        return f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while walking the reports");
      } catch (ExecutionException e) {
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
      }
    }
  }

  /** As {@link #catchup(CatchupOptions)}, on the walk {@code walking} made of this ingester's tree. */
  public CatchupResult catchup(CatchupOptions options, Walking walking) throws IOException {
    return new Catchup(this, config, store, clock, batch, commitFiles).run(options, Instant.MAX, young -> { },
        w -> { }, walking);
  }

  /**
   * As {@link #catchup(CatchupOptions)}, but files modified after {@code modifiedBefore} may still be
   * being written: they go to {@code young} instead of being read now.
   */
  public CatchupResult catchup(CatchupOptions options, Instant modifiedBefore, Consumer<Path> young)
      throws IOException {
    return catchup(options, modifiedBefore, young, w -> { });
  }

  /** As above, and hands the walk to {@code onWalk} before staging, for the quick check's index. */
  CatchupResult catchup(CatchupOptions options, Instant modifiedBefore, Consumer<Path> young,
      Consumer<ReportFiles.Walk> onWalk) throws IOException {
    return new Catchup(this, config, store, clock, batch, commitFiles).run(options, modifiedBefore, young, onWalk,
        null);
  }

  /** The order a catch-up reads in (see {@link Catchup#nameTime}). */
  static long nameTime(String name) {
    return Catchup.nameTime(name);
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
    stageSettled(parsed, bad, seen);
    store.forgetPaths(gone);
    return outcomes;
  }

  /**
   * Stages what the watcher handed over, in one transaction. A report new in every respect (a path
   * never recorded, a timestamp not staged) is appended ({@link BulkLoad}); the rest go through the
   * staging rules. The rules join the batch with the whole table, which under a steady stream cost
   * CPU in proportion to history and kept native memory in DuckDB after every join (see README, Memory).
   */
  private void stageSettled(List<StagedFile> parsed, List<QuarantinedFile> bad, Map<String, SeenFile> seen) {
    if (parsed.isEmpty() && bad.isEmpty()) {
      return;
    }
    parsed.sort(PREFERRED);
    Set<Long> taken = bulk.stagedAmong(parsed.stream().filter(f -> !seen.containsKey(f.path()))
        .map(f -> BulkLoad.micros(f.heartbeat().timestamp())).toList());
    List<BulkLoad.Row> fresh = new ArrayList<>();
    List<StagedFile> rest = new ArrayList<>();
    for (StagedFile f : parsed) {
      if (!seen.containsKey(f.path()) && taken.add(BulkLoad.micros(f.heartbeat().timestamp()))) {
        fresh.add(BulkLoad.Row.of(f));
      } else {
        rest.add(f);
      }
    }
    fresh.sort(Comparator.comparingLong(BulkLoad.Row::tsMicros));
    StageCounts counts = store.inTransaction(() -> {
      int added = 0;
      if (!fresh.isEmpty()) {
        long change = bulk.nextChange();
        try (BulkLoad.Appending appending = bulk.appending()) {
          added = appending.add(fresh, clock.instant(), change);
        }
      }
      return new StageCounts(added, 0, 0, 0).plus(stageByRules(rest, bad, false));
    });
    debugStaged(parsed);
    tellAfterCommit(parsed, bad, counts);
  }

  /** Looks at {@code file}, then reads, hashes and parses it ({@link #examine}); safe on many threads. */
  Outcome examineSettled(Path file, boolean finalAttempt) {
    try {
      ReportFiles.Entry e = ReportFiles.look(file);
      return e == null ? Outcome.GONE : examine(e, finalAttempt);
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
    debugStaged(files);
    tellAfterCommit(files, List.of(), new StageCounts(files.size(), 0, 0, 0));
  }

  /**
   * Told after the commit, as every stage is (see {@link StageListener}). Without a listener (the
   * {@code catchup} command) nothing is kept: a catch-up's group of 8,192 parsed files, held until its
   * commit for nobody, put the heap after a collection 25-30 MB higher at a year, and its groups are now
   * fifteen times larger.
   */
  private void tellAfterCommit(List<StagedFile> staged, List<QuarantinedFile> bad, StageCounts counts) {
    if (listener != StageListener.NONE) {
      store.afterCommit(() -> listener.committed(staged, bad, counts));
    }
  }

  StageCounts stage(List<StagedFile> parsed, List<QuarantinedFile> bad, boolean replaceAll) {
    StageCounts c = stageByRules(parsed, bad, replaceAll);
    debugStaged(parsed);
    tellAfterCommit(parsed, bad, c); // a catch-up stages inside its transaction
    return c;
  }

  /** Stages by the store's rules, which compare each file with what is staged and recorded. */
  private StageCounts stageByRules(List<StagedFile> parsed, List<QuarantinedFile> bad, boolean replaceAll) {
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
    for (QuarantinedFile q : bad) {
      log.warn("quarantined {}: {}", q.path(), q.reason());
    }
    return c;
  }

  private static void debugStaged(List<StagedFile> staged) {
    if (log.isDebugEnabled() && staged.size() <= 100) {
      for (StagedFile f : staged) {
        log.debug("staged {} ({})", f.path(), f.heartbeat().timestamp());
      }
    }
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
  Outcome examine(ReportFiles.Entry entry, boolean finalAttempt) {
    Path file = entry.path();
    String rel = config.relative(file);
    if (!entry.regularFile()) {
      return new Outcome.Ignored(entry.symbolicLink() ? "a symbolic link (never followed)" : "not a regular file");
    }
    long mtime = entry.mtimeMs();
    if (entry.size() > config.maxFileBytes()) {
      return tooLarge(rel, entry.size(), mtime);
    }
    byte[] bytes;
    try {
      bytes = ReportFiles.readBounded(file, entry.size(), config.maxFileBytes());
    } catch (NoSuchFileException e) {
      return Outcome.GONE;
    } catch (IOException e) {
      return finalAttempt
          ? new Outcome.Bad(new QuarantinedFile(rel, entry.size(), mtime, null, "cannot read: " + e.getMessage(), 0, null))
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
    List<Check> checks = RedactedChecks.of(r, h.checks());
    String summary = r.apply(h.summary());
    return checks == h.checks() && summary == h.summary() ? h
        : new Heartbeat(h.timestamp(), h.status(), h.durationMs(), checks, summary, h.complete());
  }

  private Outcome tooLarge(String rel, long size, long mtime) {
    return new Outcome.Bad(new QuarantinedFile(rel, size, mtime, null,
        "too large: expected a report of at most " + config.maxFileBytes() + " bytes (maxFileBytes), found " + size
            + " bytes; not read", 0, null));
  }
}
