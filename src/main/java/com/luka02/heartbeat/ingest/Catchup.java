package com.luka02.heartbeat.ingest;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.store.BulkLoad;
import com.luka02.heartbeat.store.SeenFile;
import com.luka02.heartbeat.store.StagedFile;
import com.luka02.heartbeat.store.StagingStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One catch-up of the whole tree: walk it, compare it with what the store recorded, choose the files
 * to read, stage them ({@link CatchupPipeline}) or count them (a dry run) and forget the vanished.
 */
final class Catchup {
  // The ingester's logger: a catch-up's lines read as they did before it had a class of its own.
  private static final Logger log = LoggerFactory.getLogger(Ingester.class);
  /** Files read and parsed together in a dry run; bounds memory. */
  private static final int DRY_RUN_BATCH = 1024;
  private static final Pattern NAME_DATE = Pattern.compile("^heartbeat_(\\d{4}-\\d{2}-\\d{2})_");
  /**
   * The low bits of a sort key ({@link #sortByTime}) that hold a file's index, below a compact time of
   * at most 39 bits: 16 million files.
   */
  private static final int INDEX_BITS = 24;
  private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;
  /**
   * Month, day, hour, minute and second in a {@link #nameTime}: where each stands, and one more than its
   * largest value ({@link #compactTime}).
   */
  private static final long[] FIELD_UNITS = {100_000_000, 1_000_000, 10_000, 100, 1};
  private static final long[] FIELD_RANGES = {13, 32, 24, 60, 61};

  /** The files a catch-up reads, in time order, and how many in its scope it leaves unread. */
  private record Selection(List<ReportFiles.Entry> toRead, long unchanged) {}

  private final Ingester ingester;
  private final Config config;
  private final StagingStore store;
  private final Clock clock;
  private final int batch;
  private final int commitFiles;

  Catchup(Ingester ingester, Config config, StagingStore store, Clock clock, int batch, int commitFiles) {
    this.ingester = ingester;
    this.config = config;
    this.store = store;
    this.clock = clock;
    this.batch = batch;
    this.commitFiles = commitFiles;
  }

  /**
   * See {@link Ingester#catchup(CatchupOptions, Instant, Consumer)}; hands the walk to {@code onWalk}
   * first. Walks now, or takes the walk {@code walking} started before the store was opened.
   */
  CatchupResult run(CatchupOptions options, Instant modifiedBefore, Consumer<Path> young,
      Consumer<ReportFiles.Walk> onWalk, Ingester.Walking walking) throws IOException {
    long start = System.nanoTime();
    // Asked while the walk may still run: a store that recorded nothing (a first catch-up) needs no
    // comparison, since every file is new and none vanished.
    boolean nothingRecorded = new BulkLoad(store).nothingSeen();
    // A command's first catch-up of a whole tree reads every file it lists: each is looked at where it
    // is read, by the readers, rather than all of them before the first is read (a year's 105,000
    // looks held the readers back 0.3-0.4 s). Anything that selects by a file's attributes looks first.
    boolean lookWhereRead = walking != null && nothingRecorded && options.since() == null && !options.dryRun()
        && modifiedBefore.equals(Instant.MAX);
    ReportFiles.Listing listing = lookWhereRead ? walking.listing() : null;
    ReportFiles.Walk walk = listing != null ? ReportFiles.unlooked(listing)
        : walking == null ? ReportFiles.walk(config.reportsDir(), config.summaryDir()) : walking.get();
    onWalk.accept(walk);
    long walked = System.nanoTime();
    // A listing's files are not looked at yet: each is told apart where it is read, and none is selected.
    List<ReportFiles.Entry> regular = new ArrayList<>(listing != null ? 0 : walk.entries().size());
    long ignored = walk.ignored() + (listing != null ? 0 : collectRegular(walk, regular));
    Recorded recorded = Recorded.NOTHING;
    List<String> vanished = List.of();
    if (!nothingRecorded) {
      // Each walked file by its relative path, made on both cores: a year's 105,000 took 0.15 s on this
      // thread alone, most of a warm catch-up's own work besides the comparison.
      List<StagingStore.WalkedFile> walkedFiles = regular.parallelStream()
          .map(e -> new StagingStore.WalkedFile(config.relative(e.path()), e.size(), e.mtimeMs())).toList();
      StagingStore.Changes changes = store.changes(walkedFiles, options.since() == null && !options.dryRun());
      recorded = Recorded.of(changes.changed(), regular, walkedFiles);
      vanished = changes.vanished();
    }
    long loaded = System.nanoTime();
    // Looking where read selects nothing by attributes or records: every listed file is read, ordered
    // by the times the listing read from their names, without a path made into a string for each.
    Selection selection = listing != null ? new Selection(inTimeOrder(walk.entries(), listing.nameTimes()), 0)
        : select(regular, recorded, options, modifiedBefore, young);
    long compared = System.nanoTime();
    long[] counts = options.dryRun() ? dryRun(selection.toRead(), recorded)
        : new CatchupPipeline(ingester, store, config, clock, batch, commitFiles)
            .run(selection.toRead(), recorded, options.reparse());
    store.forgetPaths(vanished);
    if (!options.dryRun() && counts[0] + counts[1] >= batch) {
      // Rows appended in bulk stay in DuckDB's memory until a checkpoint writes them to the file.
      store.checkpoint();
    }
    long staged = System.nanoTime();
    CatchupResult result = new CatchupResult(walk.entries().size(), counts[0], counts[1],
        selection.unchanged() + counts[2], ignored + counts[4], counts[3], vanished.size(),
        (System.nanoTime() - start) / 1_000_000, options.dryRun());
    log.info("catch-up of {}: {}", config.reportsDir(), result.describe());
    log.debug("catch-up phases: walk {} ms, compare in store {} ms, select {} ms, read+stage {} ms, forget {} ms",
        ms(walked - start), ms(loaded - walked), ms(compared - loaded), ms(staged - compared), ms(System.nanoTime() - staged));
    return result;
  }

  /** Puts the walk's regular files into {@code regular}; returns how many others it met. */
  private static long collectRegular(ReportFiles.Walk walk, List<ReportFiles.Entry> regular) {
    long others = 0;
    for (ReportFiles.Entry e : walk.entries()) {
      if (e.regularFile()) {
        regular.add(e);
      } else {
        others++;
        log.debug("{}: ignored, not a regular file", e.path());
      }
    }
    return others;
  }

  /**
   * The files in scope that changed (or all of them, to reparse); a file modified after
   * {@code modifiedBefore} goes to {@code young} instead.
   */
  private Selection select(List<ReportFiles.Entry> regular, Recorded recorded, CatchupOptions options,
      Instant modifiedBefore, Consumer<Path> young) {
    List<ReportFiles.Entry> toRead = new ArrayList<>();
    long inScope = 0;
    for (ReportFiles.Entry e : regular) {
      if (options.since() != null && reportDay(e).isBefore(options.since())) {
        continue;
      }
      inScope++;
      if (!options.reparse() && !recorded.changed(e)) {
        continue; // size and mtime as recorded: not read
      }
      if (Instant.ofEpochMilli(e.mtimeMs()).isAfter(modifiedBefore)) {
        young.accept(e.path());
      } else {
        toRead.add(e);
      }
    }
    sortByTime(toRead);
    return new Selection(toRead, inScope - toRead.size());
  }

  /**
   * Reports in time order, so that each day's rows sit together in the table: a rollover of one day
   * then reads one day's worth, however much is staged. The name carries the time; a conflict copy
   * ("heartbeat_X 2.md") follows its original, and equal names follow their paths, so that the file
   * {@link Ingester#PREFERRED_PATH} puts first for a report is normally the first read.
   */
  static void sortByTime(List<ReportFiles.Entry> files) {
    sortByTime(files, i -> nameTime(fileName(files.get(i).path().toString())));
  }

  /** {@code files} as {@link #sortByTime} orders them, {@code nameTimes} holding their names' times. */
  private static List<ReportFiles.Entry> inTimeOrder(List<ReportFiles.Entry> files, long[] nameTimes) {
    List<ReportFiles.Entry> ordered = new ArrayList<>(files);
    sortByTime(ordered, i -> nameTimes[i]);
    return ordered;
  }

  /** As above, {@code nameTimeOf} giving the {@link #nameTime} of the file at each index. */
  private static void sortByTime(List<ReportFiles.Entry> files, IntToLongFunction nameTimeOf) {
    int n = files.size();
    Comparator<ReportFiles.Entry> byTie = Comparator.comparing(e -> tieKey(e.path()));
    if (n > 1 << INDEX_BITS) { // some 160 years of reports: sorted as objects, much more slowly
      files.sort(Comparator.comparingLong((ReportFiles.Entry e) -> nameTime(fileName(e.path().toString())))
          .thenComparing(byTie));
      return;
    }
    // Each file as one number, its name's time (made compact) above its index, sorted as numbers: a
    // year's 105,000 files took 40-50 ms, against 90 ms as objects by a comparator and 340 ms for the
    // command's single sort, run before the comparator's code was compiled.
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = compactTime(nameTimeOf.applyAsLong(i)) << INDEX_BITS | i;
    }
    Arrays.sort(keys);
    List<ReportFiles.Entry> sorted = new ArrayList<>(n);
    for (int i = 0; i < n; ) {
      int end = i + 1;
      while (end < n && keys[end] >>> INDEX_BITS == keys[i] >>> INDEX_BITS) {
        end++;
      }
      int from = sorted.size();
      for (int k = i; k < end; k++) {
        sorted.add(files.get((int) (keys[k] & INDEX_MASK)));
      }
      if (end - i > 1) {
        sorted.subList(from, sorted.size()).sort(byTie);
      }
      i = end;
    }
    files.clear();
    files.addAll(sorted);
  }

  /**
   * {@link #nameTime}'s YYYYMMDDHHMMSS as a smaller number in the same order: each field counted in its
   * own range (a month to 12, a day to 31, an hour to 23, a minute to 59, a second to 60). A field beyond
   * its range counts as one more than its largest value, and the fields after it as 0: times that then
   * share a number are told apart by {@link #tieKey}, whose stems compare digit by digit as the times
   * do. Below 2^39.
   */
  static long compactTime(long time) {
    long compact = time / 10_000_000_000L; // the year
    boolean beyond = false;
    for (int i = 0; i < FIELD_RANGES.length; i++) {
      long field = beyond ? 0 : Math.min(time / FIELD_UNITS[i] % 100, FIELD_RANGES[i]);
      beyond |= field == FIELD_RANGES[i];
      compact = compact * (FIELD_RANGES[i] + 1) + field;
    }
    return compact;
  }

  /**
   * Orders files whose names carry the same time: by stem, then name length, then path, as one string
   * (NUL sorts before any character of a name).
   */
  private static String tieKey(Path file) {
    String path = file.toString();
    String name = fileName(path);
    String stem = name.endsWith(".md") ? name.substring(0, name.length() - 3) : name;
    return stem + '\0' + (char) name.length() + path;
  }

  private static String fileName(String path) {
    return path.substring(path.lastIndexOf(java.io.File.separatorChar) + 1);
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
  private long[] dryRun(List<ReportFiles.Entry> toRead, Recorded recorded) {
    long[] counts = new long[5]; // added, updated, unchanged, quarantined, ignored
    for (int from = 0; from < toRead.size(); from += DRY_RUN_BATCH) {
      List<ReportFiles.Entry> part = toRead.subList(from, Math.min(toRead.size(), from + DRY_RUN_BATCH));
      List<Outcome> outcomes = part.parallelStream().map(e -> ingester.examine(e, true)).toList();
      tally(outcomes, recorded, counts);
    }
    return counts;
  }

  /** Counts the outcomes as staging would: added, updated, unchanged by content, quarantined. */
  private static void tally(List<Outcome> outcomes, Recorded recorded, long[] counts) {
    for (Outcome o : outcomes) {
      if (o instanceof Outcome.Parsed p) {
        StagedFile f = p.file();
        SeenFile s = recorded.record(f.path());
        counts[s == null ? 0 : s.contentHash().equals(f.contentHash()) ? 2 : 1]++;
      } else if (o instanceof Outcome.Bad) {
        counts[3]++;
      }
    }
  }

  private LocalDate reportDay(ReportFiles.Entry e) {
    LocalDate named = nameDate(e.path().getFileName().toString());
    return named != null ? named
        : LocalDate.ofInstant(Instant.ofEpochMilli(e.mtimeMs()), config.zone());
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

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }
}
