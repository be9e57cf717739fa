package com.luka02.heartbeat.ingest;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.store.BulkLoad;
import com.luka02.heartbeat.store.QuarantinedFile;
import com.luka02.heartbeat.store.StageCounts;
import com.luka02.heartbeat.store.StagedFile;
import com.luka02.heartbeat.store.StagingStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The staging half of a catch-up, streamed: reader threads read, hash and parse a batch of files
 * ahead while the writer thread stages the batch before it, so that at most a few batches are held
 * however large the tree. A report new in every respect is appended ({@link BulkLoad}); every other
 * file (a copy of a report, a changed file, a quarantined one) goes through the staging rules of
 * {@link Ingester#stage} unchanged.
 */
final class CatchupPipeline {
  private static final Logger log = LoggerFactory.getLogger(CatchupPipeline.class);
  /** A report in {@link #taken} that this catch-up did not append, or no longer counts as appended. */
  private static final int NOT_APPENDED = -1;

  private final Ingester ingester;
  private final StagingStore store;
  private final BulkLoad bulk;
  private final Config config;
  private final Clock clock;
  private final int batch;
  private final int commitFiles;
  /**
   * Timestamps (epoch us) of the reports staged before this catch-up or by it, each with the index in
   * {@link #files} of the file this catch-up appended it from, or {@link #NOT_APPENDED}. An index, not
   * the file's path: these live to the end of a catch-up, and each collection copied a year's paths
   * once more (a set of timestamps beside a map of paths held 22 MB, this map 8 MB).
   */
  private final Map<Long, Integer> taken = new HashMap<>();
  private final List<StagedFile> pending = new ArrayList<>();
  private final List<QuarantinedFile> pendingBad = new ArrayList<>();
  /**
   * Reports appended by this catch-up that a file {@link Ingester#PREFERRED} puts first holds too, with
   * the appended file's path: unstaged, and both files staged again by the rules.
   */
  private final Map<Long, String> demoted = new HashMap<>();
  /** Added, updated, unchanged, quarantined, and ignored (found not to be a regular file where read). */
  private final long[] counts = new long[5];
  /** The files this catch-up reads, in order. */
  private List<ReportFiles.Entry> files = List.of();
  private Set<String> quarantined = Set.of();
  private boolean appending;

  CatchupPipeline(Ingester ingester, StagingStore store, Config config, Clock clock, int batch, int commitFiles) {
    this.ingester = ingester;
    this.store = store;
    this.bulk = new BulkLoad(store);
    this.config = config;
    this.clock = clock;
    this.batch = batch;
    this.commitFiles = commitFiles;
  }

  /** Stages {@code toRead} in order; returns {added, updated, unchanged, quarantined, ignored}. */
  long[] run(List<ReportFiles.Entry> toRead, Recorded recorded, boolean reparse) {
    if (toRead.isEmpty()) {
      return counts;
    }
    // Fewer files than a batch (the agent's reconcile, a few changed files) go through the rules
    // alone: reading every staged timestamp would cost more than appending saves.
    appending = toRead.size() >= batch;
    if (appending) {
      BulkLoad.Staged staged = bulk.staged();
      quarantined = staged.quarantined();
      staged.timestamps().forEach(t -> taken.put(t, NOT_APPENDED));
    }
    files = toRead;
    try (Reader reader = new Reader(toRead)) {
      int batches = (toRead.size() + batch - 1) / batch;
      int perCommit = Math.max(1, commitFiles / batch);
      for (int first = 0; first < batches; first += perCommit) {
        stageGroup(reader, first, Math.min(batches, first + perCommit), batches, recorded, reparse);
      }
    }
    return counts;
  }

  /**
   * Stages batches {@code first} to {@code last} (exclusive) in one transaction: a crash loses at
   * most the open group and the files waiting for the rules, which the next catch-up redoes, and there
   * are far fewer commits than batches.
   */
  private void stageGroup(Reader reader, int first, int last, int batches, Recorded recorded,
      boolean reparse) {
    long start = System.nanoTime();
    long[] waited = {0};
    long[] staged = {0};
    store.inTransaction(() -> {
      long change = bulk.nextChange();
      try (BulkLoad.Appending appender = bulk.appending()) {
        for (int b = first; b < last; b++) {
          long asked = System.nanoTime();
          List<Read> reads = reader.next();
          waited[0] += System.nanoTime() - asked;
          stageBatch(reads, b * batch, recorded, change, appender);
          if (pending.size() + pendingBad.size() >= batch) {
            flushPending(reparse, appender);
          }
        }
        // The few files the rules stage (copies of reports, a changed file) wait for a later group
        // unless a batch of them is waiting: the rules cost 20-35 ms a call whatever the count, and
        // a year's 13 groups each held one or two conflict copies.
        if (last == batches) {
          flushPending(reparse, appender);
        }
      }
      staged[0] = System.nanoTime();
      return null;
    });
    log.debug("staged batches {}-{} of {}: {} ms waiting for readers, {} ms staging, {} ms committing", first + 1,
        last, batches, waited[0] / 1_000_000, (staged[0] - start - waited[0]) / 1_000_000,
        (System.nanoTime() - staged[0]) / 1_000_000);
  }

  /** One file as read by a reader thread: the outcome and, for a parsed file, its row's values. */
  private record Read(Outcome outcome, BulkLoad.Row row) {}

  /** Reads batches in order on reader threads, a few batches ahead of the one asked for. */
  private final class Reader implements AutoCloseable {
    private final List<ReportFiles.Entry> files;
    private final ExecutorService pool;
    /** Batches asked for ahead of the one being staged; see the constructor. */
    private final int aheadMax;
    private final Deque<Future<List<Read>>> ahead = new ArrayDeque<>();
    private int submitted;

    Reader(List<ReportFiles.Entry> files) {
      this.files = files;
      // One more reader than cores: the writer thread waits on the readers a third of the time, and a
      // third reader takes that time (measured on 2 cores: 7.5 s against 8-12 s for a year).
      int readers = Math.min(4, Runtime.getRuntime().availableProcessors() + 1);
      // Two batches more than readers: while the writer stages one batch and waits for the next, every
      // reader still has one to read. With three in flight, a reader that finished waited for the
      // writer: two cores were 79 % busy while a year streamed, now 88 %.
      this.aheadMax = readers + 2;
      this.pool = Executors.newFixedThreadPool(readers, r -> {
        Thread t = new Thread(r, "catchup-reader");
        t.setDaemon(true);
        return t;
      });
    }

    List<Read> next() {
      while (ahead.size() < aheadMax && submitted < files.size()) {
        List<ReportFiles.Entry> part = files.subList(submitted, Math.min(files.size(), submitted + batch));
        submitted += part.size();
        ahead.add(pool.submit(() -> read(part)));
      }
      try {
        return ahead.remove().get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("catch-up interrupted", e);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
      }
    }

    private List<Read> read(List<ReportFiles.Entry> part) {
      List<Read> out = new ArrayList<>(part.size());
      for (ReportFiles.Entry e : part) {
        Outcome o = e.looked() ? ingester.examine(e, true) : ingester.examineSettled(e.path(), true);
        if (o instanceof Outcome.Ignored i) {
          log.debug("{}: ignored, {}", e.path(), i.why());
        }
        out.add(new Read(o, o instanceof Outcome.Parsed p ? BulkLoad.Row.of(p.file()) : null));
      }
      return out;
    }

    @Override
    public void close() {
      pool.shutdownNow();
    }
  }

  /**
   * Appends the batch's reports that are new in every respect; the others wait in {@link #pending}
   * for the staging rules. A report held by a file that {@link Ingester#PREFERRED} puts before the
   * one appended is unstaged again, and both files go through the rules.
   */
  private void stageBatch(List<Read> reads, int firstIndex, Recorded recorded, long change,
      BulkLoad.Appending appender) {
    List<BulkLoad.Row> fresh = new ArrayList<>();
    int index = firstIndex - 1;
    for (Read r : reads) {
      index++;
      if (r.outcome() instanceof Outcome.Bad b) {
        pendingBad.add(b.file());
      } else if (r.outcome() instanceof Outcome.Ignored) {
        counts[4]++;
      } else if (r.row() != null) {
        StagedFile f = r.row().file();
        long t = r.row().tsMicros();
        boolean newPath = recorded.isNew(f.path()) && !quarantined.contains(f.path());
        if (appending && newPath && taken.putIfAbsent(t, index) == null) {
          fresh.add(r.row());
        } else {
          Integer from = taken.get(t);
          String holder = from == null || from == NOT_APPENDED ? null : config.relative(files.get(from).path());
          if (holder != null && Ingester.PREFERRED_PATH.compare(f.path(), holder) < 0) {
            demoted.put(t, holder);
            taken.put(t, NOT_APPENDED);
          }
          pending.add(f);
        }
      }
    }
    Instant now = clock.instant();
    int added = appender.add(fresh, now, change);
    counts[0] += added;
    if (added > 0) {
      ingester.appended(fresh.stream().map(BulkLoad.Row::file).toList());
    }
  }

  /**
   * Stages the waiting files by the rules, after unstaging the reports that a preferred file holds too;
   * both read the tables, so the rows appended so far go in first.
   */
  private void flushPending(boolean reparse, BulkLoad.Appending appender) {
    if (demoted.isEmpty() && pending.isEmpty() && pendingBad.isEmpty()) {
      return;
    }
    appender.flush();
    if (!demoted.isEmpty()) {
      List<Instant> unstage = new ArrayList<>();
      for (Map.Entry<Long, String> d : demoted.entrySet()) {
        unstage.add(Instant.EPOCH.plus(d.getKey(), java.time.temporal.ChronoUnit.MICROS));
        Outcome o = reexamine(d.getValue());
        if (o instanceof Outcome.Parsed p) {
          pending.add(p.file());
        } else if (o instanceof Outcome.Bad b) {
          pendingBad.add(b.file());
        }
      }
      bulk.unstage(unstage);
      counts[0] -= demoted.size();
      demoted.clear();
    }
    if (pending.isEmpty() && pendingBad.isEmpty()) {
      return;
    }
    StageCounts c = ingester.stage(new ArrayList<>(pending), new ArrayList<>(pendingBad), reparse);
    counts[0] += c.inserted();
    counts[1] += c.replaced();
    counts[2] += c.unchanged();
    counts[3] += c.quarantined();
    // Their reports are staged now, by them or by a file preferred to them: a later new file holding one
    // goes through the rules too, not in beside it.
    pending.forEach(f -> taken.putIfAbsent(BulkLoad.micros(f.heartbeat().timestamp()), NOT_APPENDED));
    pending.clear();
    pendingBad.clear();
  }

  private Outcome reexamine(String path) {
    Path file = config.root().resolve(path);
    try {
      ReportFiles.Entry e = ReportFiles.look(file);
      return e == null ? Outcome.GONE : ingester.examine(e, true);
    } catch (IOException e) {
      log.debug("{}: cannot look again: {}", file, e.toString());
      return Outcome.GONE;
    }
  }
}
