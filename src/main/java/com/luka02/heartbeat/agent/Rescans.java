package com.luka02.heartbeat.agent;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.ingest.CatchupResult;
import com.luka02.heartbeat.ingest.QuickCheck;
import com.luka02.heartbeat.ops.Operations;
import com.luka02.heartbeat.watch.ReportWatcher;
import com.luka02.heartbeat.watch.SettleQueue;
import com.luka02.heartbeat.watch.SettleRouter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safety net under the file events: the full rescan (at start-up, daily, and when events were
 * lost or the watch re-armed), the quick check between them, and re-arming a watch that ended.
 * Runs on the writer thread, except {@link #rescanSoon} and {@link #rearmSoon}, which hand work to it.
 */
final class Rescans {
  private static final Logger log = LoggerFactory.getLogger(Rescans.class);
  /** About a week of reports: below this, work is routine and the heap is left alone. */
  private static final long BIG_WORK_REPORTS = 2_000;
  /** The full rescan's slow cadence: at the daily rollover, or after this long without one. */
  private static final Duration FULL_RESCAN_EVERY = Duration.ofHours(24);
  /** A full rescan this recent makes the one before a rollover unnecessary. */
  private static final Duration RESCAN_FRESH = Duration.ofHours(1);
  /** How often a watch that ended tries again, only while it is down. */
  private static final Duration REARM_RETRY = Duration.ofSeconds(1);
  /** A changed file this much older than the settle window, and unknown to the settle queue, had its event lost. */
  private static final Duration LOST_AFTER = Duration.ofSeconds(5);

  private final Config config;
  private final Clock clock;
  private final QuickCheck quick;
  private final SettleQueue settling;
  private final SettleRouter router;
  private final WriterThread writer;
  private final Operations ops;
  private final ReportWatcher watcher;
  /** False when only the periodic checks find files (for tests): the watch is never armed. */
  private final boolean watch;
  private final BooleanSupplier closing;
  private final AtomicBoolean rescanQueued = new AtomicBoolean();
  private final AtomicBoolean rearming = new AtomicBoolean();
  private long lastFullRescanNanos;

  record Parts(Config config, Clock clock, QuickCheck quick, SettleQueue settling, SettleRouter router,
      WriterThread writer, Operations ops) {}

  Rescans(Parts parts, ReportWatcher watcher, boolean watch, BooleanSupplier closing) {
    this.config = parts.config();
    this.clock = parts.clock();
    this.quick = parts.quick();
    this.settling = parts.settling();
    this.router = parts.router();
    this.writer = parts.writer();
    this.ops = parts.ops();
    this.watcher = watcher;
    this.watch = watch;
    this.closing = closing;
  }

  /** The full rescan: walks and compares the whole tree. */
  CatchupResult reconcile() {
    return reconcile(young -> { });
  }

  /** The full rescan; files too young to judge go to the settle queue, and are told to {@code young}. */
  CatchupResult reconcile(Consumer<Path> young) {
    boolean ok = false;
    rescanQueued.set(false);
    try {
      Instant youngerThan = clock.instant().minus(config.incompleteGrace());
      CatchupResult r = quick.fullRescan(youngerThan, p -> {
        settling.touch(p);
        young.accept(p);
      });
      lastFullRescanNanos = System.nanoTime();
      router.scheduleCheck();
      // The walk of a long history leaves its garbage behind: give that memory back once a day.
      returnMemoryAfter(Math.max(r.scanned(), r.added() + r.updated() + r.quarantined()));
      ok = true;
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      ops.reconciled(ok);
    }
  }

  /** Before a rollover: the daily full rescan, so that a file whose event was lost is in the export. */
  void reconcileUnlessFresh() {
    if (System.nanoTime() - lastFullRescanNanos >= RESCAN_FRESH.toNanos()) {
      reconcile();
    }
  }

  /**
   * The periodic safety net, every {@code reconcileIntervalSeconds}: a quick check of what changed
   * (see {@link QuickCheck}), or a full rescan when one is due. Returns the quick check's look, or
   * null when a full rescan ran instead.
   */
  QuickCheck.Look periodicCheck() {
    if (guardWatch() || System.nanoTime() - lastFullRescanNanos >= FULL_RESCAN_EVERY.toNanos()) {
      reconcile();
      return null;
    }
    QuickCheck.Look look = quick.look();
    if (look.needsFullRescan()) {
      reconcile();
      return null;
    }
    Instant missedBefore = clock.instant().minus(config.settle()).minus(LOST_AFTER);
    int lost = 0;
    for (QuickCheck.Found f : look.changed()) {
      if (!settling.contains(f.path()) && f.modified().isBefore(missedBefore)) {
        lost++;
      }
      settling.touch(f.path());
    }
    log.debug("quick check: {} folders listed, {} recent files checked, {} changed", look.foldersListed(),
        look.filesChecked(), look.changed().size());
    router.scheduleCheck();
    if (lost > 0) {
      log.warn("the periodic check found {} changed files that no file event reported; a full rescan follows", lost);
      ops.lostEvents(lost);
      reconcile();
    }
    return look;
  }

  /** Re-arms the watch when it ended or its folder was replaced; true when it did (and a rescan is due). */
  boolean guardWatch() {
    if (!watch || closing.getAsBoolean() || !watcher.rearmIfNeeded()) {
      return false;
    }
    rescanSoon("full rescan after the watch was re-armed");
    return true;
  }

  /** Queues one full rescan, however many times it is asked for before it runs. */
  void rescanSoon(String why) {
    if (rescanQueued.compareAndSet(false, true)) {
      writer.execute(why, this::reconcile);
    }
  }

  /** While the watch is down, tries to re-arm it every second; stops once it runs again. */
  void rearmSoon() {
    if (!watch || closing.getAsBoolean() || !rearming.compareAndSet(false, true)) {
      return;
    }
    boolean queued = writer.schedule("re-arm the watch", () -> {
      rearming.set(false);
      if (!guardWatch() && !watcher.isWatching()) {
        rearmSoon();
      }
    }, REARM_RETRY);
    if (!queued) {
      rearming.set(false); // stopping
    }
  }

  /**
   * After a burst of work (a start-up catch-up of months, a rollover of many days) the JVM keeps the
   * heap it grew for it. A collection then lets G1 give that memory back, so that an agent that
   * spends its life idle between reports stays small. Routine work never triggers it.
   */
  static void returnMemoryAfter(long reports) {
    if (reports >= BIG_WORK_REPORTS) {
      System.gc();
    }
  }
}
