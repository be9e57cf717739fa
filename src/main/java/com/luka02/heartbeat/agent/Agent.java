package com.luka02.heartbeat.agent;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.export.DayResult;
import com.luka02.heartbeat.export.ExportHook;
import com.luka02.heartbeat.export.ExportListener;
import com.luka02.heartbeat.export.Rollover;
import com.luka02.heartbeat.export.RolloverReport;
import com.luka02.heartbeat.export.RolloverTrigger;
import com.luka02.heartbeat.ingest.CatchupOptions;
import com.luka02.heartbeat.ingest.CatchupResult;
import com.luka02.heartbeat.ingest.Ingester;
import com.luka02.heartbeat.ingest.Outcome;
import com.luka02.heartbeat.ingest.QuickCheck;
import com.luka02.heartbeat.ingest.StageListener;
import com.luka02.heartbeat.ops.Operations;
import com.luka02.heartbeat.report.ReportParser;
import com.luka02.heartbeat.store.QueryResult;
import com.luka02.heartbeat.store.StagingStore;
import com.luka02.heartbeat.store.UserQueries;
import com.luka02.heartbeat.watch.ReportWatcher;
import com.luka02.heartbeat.watch.SettleQueue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background agent: watches the reports tree, stages each settled report, rolls days over
 * to Parquet on the wall clock, and serves everyone else over loopback HTTP.
 *
 * <p>Every write to the store happens on one thread, {@code writer}; reads run anywhere.
 */
public final class Agent implements Backend {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);
  private static final Duration ROLLOVER_TICK = Duration.ofSeconds(30);
  /** About a week of reports: below this, work is routine and the heap is left alone. */
  private static final long BIG_WORK_REPORTS = 2_000;
  private static final Duration ROLLOVER_RETRY = Duration.ofMinutes(5);
  private static final Duration SETTLE_RETRY_FIRST = Duration.ofSeconds(1);
  private static final Duration SETTLE_RETRY_MAX = Duration.ofMinutes(1);
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);
  private static final Duration REQUEST_WAIT = Duration.ofMinutes(5);
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
  private final AgentLock lock;
  private final StagingStore store;
  private final UserQueries queries;
  private final Ingester ingester;
  private final QuickCheck quick;
  private final boolean watch;
  private final AtomicBoolean rescanQueued = new AtomicBoolean();
  private final AtomicBoolean rearming = new AtomicBoolean();
  private long lastFullRescanNanos;
  private final Rollover rollover;
  private final RolloverTrigger trigger;
  private final ExportHook exportHook;
  private final SettleQueue settling;
  private final ScheduledExecutorService writer;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicBoolean closing = new AtomicBoolean();
  private final AtomicBoolean settleScheduled = new AtomicBoolean();
  /** Writer thread only: how long to wait before staging settled files again after a failure. */
  private Duration settleBackoff = Duration.ZERO;
  private final List<StageListener> listeners = new CopyOnWriteArrayList<>();
  private final List<ExportHook.Outcomes> hookListeners = new CopyOnWriteArrayList<>();
  /**
   * Writer only: files the start-up catch-up found too young to judge. The start-up rollover runs
   * before they settle, so once the last of them has, the rollover looks again; otherwise their
   * finished days would wait for the next scheduled run.
   */
  private final Set<Path> youngAtStart = new HashSet<>();
  private volatile ReportWatcher watcher;
  private Operations ops;
  private ApiServer api;
  private AgentInfo info;

  private Agent(Config config, Clock clock, AgentLock lock, StagingStore store, boolean watch) {
    this.config = config;
    this.watch = watch;
    this.clock = clock;
    this.lock = lock;
    this.store = store;
    this.queries = new UserQueries(store, UserQueries.limits(config));
    this.ingester = new Ingester(config, store, clock, (staged, bad, counts) -> {
      for (StageListener l : listeners) {
        l.committed(staged, bad, counts);
      }
    });
    // ops exists before the first rollover can run: begin() creates it before scheduling any.
    this.exportHook = ExportHook.of(config, clock, (outcome, at) -> {
      ops.exportHookRan(outcome, at);
      hookListeners.forEach(l -> l.ran(outcome, at));
    });
    this.quick = new QuickCheck(config, store, ingester, clock);
    this.rollover = new Rollover(config, store, clock, exportHook == null ? ExportListener.NONE : exportHook);
    this.trigger = new RolloverTrigger(rollover.schedule(), ROLLOVER_RETRY);
    this.settling = new SettleQueue(config.settle(), config.incompleteGrace(), System::nanoTime);
    this.writer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "writer");
      t.setDaemon(false);
      return t;
    });
  }

  /**
   * Starts an agent on {@code config}'s root: lock, store, watcher, reconcile, HTTP on {@code port}
   * (0 for any free port). Throws {@link AgentRunningException} when another agent has the root.
   */
  public static Agent start(Config config, Clock clock, int port) throws IOException {
    return start(config, clock, port, true);
  }

  /** As {@link #start(Config, Clock, int)}; without {@code watch}, only the periodic checks find files (for tests). */
  static Agent start(Config config, Clock clock, int port, boolean watch) throws IOException {
    AgentLock lock = AgentLock.tryAcquire(config.lockFile());
    if (lock == null) {
      throw AgentRunningException.of(config);
    }
    Agent agent;
    try {
      Files.createDirectories(config.reportsDir());
      agent = new Agent(config, clock, lock, StagingStore.open(config), watch);
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
    try {
      agent.begin(port);
    } catch (IOException | RuntimeException e) {
      agent.close();
      throw e;
    }
    return agent;
  }

  private void begin(int port) throws IOException {
    log.info("starting on {} (reports {}, store {})", config.root(), config.reportsDir(), config.stagingDb());
    ops = Operations.create(config, store, clock, () -> watcher != null && watcher.isWatching());
    listeners.add(ops);
    // Watch first, so that nothing written during the start-up catch-up is missed.
    watcher = new ReportWatcher(config.reportsDir(), new ReportWatcher.Listener() {
      @Override
      public void changed(Path path) {
        onChanged(path);
      }

      @Override
      public void deleted(Path path) {
        onDeleted(path);
      }

      @Override
      public void overflow() {
        ops.watcherOverflowed();
        rescanSoon("full rescan after lost events");
      }

      @Override
      public void stopped() {
        rearmSoon();
      }
    });
    if (watch) {
      watcher.start();
    }
    onWriter(() -> {
      reconcile(youngAtStart::add);
      return null;
    });
    api = ApiServer.start(port, this, ApiToken.load(config.apiTokenFile()), ops);
    info = new AgentInfo(ProcessHandle.current().pid(), api.port(), clock.instant().toString(),
        config.root().toString());
    info.write(config.agentFile());
    long reconcileMs = config.reconcileInterval().toMillis();
    writer.scheduleWithFixedDelay(timed("check", this::periodicCheck), reconcileMs, reconcileMs,
        TimeUnit.MILLISECONDS);
    writer.scheduleWithFixedDelay(timed("rollover", this::rolloverTick), 0, ROLLOVER_TICK.toMillis(), TimeUnit.MILLISECONDS);
    long alertMs = config.alerting().checkInterval().toMillis();
    writer.scheduleWithFixedDelay(timed("alert", () -> {
      guardWatch();
      ops.check();
    }), 0, alertMs, TimeUnit.MILLISECONDS);
    log.info("agent up: pid {}, http://127.0.0.1:{}/", info.pid(), info.port());
  }

  /** Adds a listener told of every staging transaction. */
  public void addStageListener(StageListener listener) {
    listeners.add(listener);
  }

  /** Tells {@code listener} of every run of the {@code onExport} command, after metrics and status have it. */
  public void addExportHookListener(ExportHook.Outcomes listener) {
    hookListeners.add(listener);
  }

  public int port() {
    return api.port();
  }

  public AgentInfo info() {
    return info;
  }

  // ---------------------------------------------------------------- events

  private void onChanged(Path path) {
    if (closing.get()) {
      return;
    }
    if (path.startsWith(config.summaryDir())) {
      return; // our own summaries: never heartbeats
    }
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      // A folder moved or copied in arrives whole; its files raise no events of their own.
      rescanSoon("scan " + path);
      return;
    }
    if (!ReportParser.isHeartbeatName(path.getFileName().toString())) {
      return;
    }
    onWriterLater("note " + path, () -> {
      settling.touch(path);
      scheduleSettleCheck();
    });
  }

  private void onDeleted(Path path) {
    if (closing.get() || !ReportParser.isHeartbeatName(path.getFileName().toString())) {
      return;
    }
    onWriterLater("forget " + path, () -> {
      settling.remove(path);
      ingester.forget(List.of(path));
      youngAtStartSettled();
    });
  }

  /** Runs on the writer thread. */
  private void scheduleSettleCheck() {
    // Once stopping, files still settling are left to the next start's catch-up.
    if (closing.get() || settling.isEmpty() || !settleScheduled.compareAndSet(false, true)) {
      return;
    }
    Duration delay = settling.nextCheckIn().compareTo(settleBackoff) > 0 ? settling.nextCheckIn() : settleBackoff;
    try {
      writer.schedule(guarded("settle", () -> {
        settleScheduled.set(false);
        try {
          stageSettled();
          settleBackoff = Duration.ZERO;
        } catch (RuntimeException e) {
          // The files stay queued: try again without a new event, pausing longer each time (a full
          // disk may take a while to free) rather than spinning on the writer.
          settleBackoff = longerBackoff(settleBackoff);
          throw e;
        } finally {
          scheduleSettleCheck();
        }
      }), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      settleScheduled.set(false); // stopping: the next start's catch-up takes these files
    }
  }

  /** One second after a first failure, then twice as long each time, at most a minute. */
  static Duration longerBackoff(Duration last) {
    Duration next = last.isZero() ? SETTLE_RETRY_FIRST : last.multipliedBy(2);
    return next.compareTo(SETTLE_RETRY_MAX) > 0 ? SETTLE_RETRY_MAX : next;
  }

  /** Hands an event's work to the writer; once the agent stops, the next start's catch-up covers it. */
  private void onWriterLater(String what, Runnable task) {
    try {
      writer.execute(guarded(what, task));
    } catch (RejectedExecutionException e) {
      log.debug("{}: left to the next start, the agent is stopping", what);
    }
  }

  private void stageSettled() {
    List<SettleQueue.Settled> ready = settling.settled();
    if (ready.isEmpty()) {
      return;
    }
    List<Path> finals = ready.stream().filter(SettleQueue.Settled::finalAttempt).map(SettleQueue.Settled::path).toList();
    List<Path> tentative = ready.stream().filter(s -> !s.finalAttempt()).map(SettleQueue.Settled::path).toList();
    settle(ingester.ingest(finals, true));
    settle(ingester.ingest(tentative, false));
    youngAtStartSettled();
  }

  /** Runs on the writer: once the files too young at start-up have all settled, exports their finished days. */
  private void youngAtStartSettled() {
    if (youngAtStart.isEmpty()) {
      return;
    }
    youngAtStart.removeIf(p -> !settling.contains(p));
    if (youngAtStart.isEmpty()) {
      log.info("the reports too young to stage at start-up have settled; checking for finished days to export");
      trigger.recheck();
      guarded("rollover after start-up", this::rolloverTick).run(); // a failure must not stop the settling
    }
  }

  private void settle(Map<Path, Outcome> outcomes) {
    outcomes.forEach((path, outcome) -> {
      if (!(outcome instanceof Outcome.NotReady)) {
        settling.remove(path);
      }
    });
  }

  /** The full rescan: walks and compares the whole tree. At start-up, daily, and when events were lost. */
  private CatchupResult reconcile() {
    return reconcile(young -> { });
  }

  /** The full rescan; files too young to judge go to the settle queue, and are told to {@code young}. */
  private CatchupResult reconcile(java.util.function.Consumer<Path> young) {
    boolean ok = false;
    rescanQueued.set(false);
    try {
      Instant youngerThan = clock.instant().minus(config.incompleteGrace());
      CatchupResult r = quick.fullRescan(youngerThan, p -> {
        settling.touch(p);
        young.accept(p);
      });
      lastFullRescanNanos = System.nanoTime();
      scheduleSettleCheck();
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
    scheduleSettleCheck();
    if (lost > 0) {
      log.warn("the periodic check found {} changed files that no file event reported; a full rescan follows", lost);
      ops.lostEvents(lost);
      reconcile();
    }
    return look;
  }

  /** Runs the periodic check now, on the writer; for tests. */
  QuickCheck.Look checkNow() {
    return onWriter(this::periodicCheck);
  }

  /** Runs a full rescan now, on the writer; for tests. */
  CatchupResult fullRescanNow() {
    return onWriter(this::reconcile);
  }

  /** Re-arms the watch when it ended or its folder was replaced; true when it did (and a rescan is due). */
  private boolean guardWatch() {
    if (!watch || closing.get() || !watcher.rearmIfNeeded()) {
      return false;
    }
    rescanSoon("full rescan after the watch was re-armed");
    return true;
  }

  /** Queues one full rescan, however many times it is asked for before it runs. */
  private void rescanSoon(String why) {
    if (rescanQueued.compareAndSet(false, true)) {
      onWriterLater(why, this::reconcile);
    }
  }

  /** While the watch is down, tries to re-arm it every second; stops once it runs again. */
  private void rearmSoon() {
    if (!watch || closing.get() || !rearming.compareAndSet(false, true)) {
      return;
    }
    try {
      writer.schedule(guarded("re-arm the watch", () -> {
        rearming.set(false);
        if (!guardWatch() && !watcher.isWatching()) {
          rearmSoon();
        }
      }), REARM_RETRY.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      rearming.set(false); // stopping
    }
  }

  private void rolloverTick() {
    Instant now = clock.instant();
    if (!trigger.due(now)) {
      return;
    }
    if (System.nanoTime() - lastFullRescanNanos >= RESCAN_FRESH.toNanos()) {
      reconcile(); // the daily full rescan, so that a file whose event was lost is in the export
    }
    long start = System.nanoTime();
    List<DayResult> results = rollover.runDue();
    ops.rolledOver(results, Duration.ofNanos(System.nanoTime() - start));
    trigger.ran(now, results.stream().allMatch(DayResult::ok));
    returnMemoryAfter(results.size() * 288L);
  }

  /**
   * After a burst of work (a start-up catch-up of months, a rollover of many days) the JVM keeps the
   * heap it grew for it. A collection then lets G1 give that memory back, so that an agent that
   * spends its life idle between reports stays small. Routine work never triggers it.
   */
  private static void returnMemoryAfter(long reports) {
    if (reports >= BIG_WORK_REPORTS) {
      System.gc();
    }
  }

  // ---------------------------------------------------------------- backend

  @Override
  public QueryResult query(String sql) {
    return queries.run(sql);
  }

  @Override
  public StatusReport status() {
    Instant now = clock.instant();
    return StatusReport.of(config, store, info, now, trigger.next(now))
        .withExportHookProblem(exportHook == null ? null : exportHook.problem());
  }

  @Override
  public CatchupResult catchup(CatchupOptions options) {
    return onWriter(() -> ingester.catchup(options));
  }

  @Override
  public RolloverReport rollover(LocalDate date, boolean dryRun) {
    return onWriter(() -> {
      long start = System.nanoTime();
      RolloverReport report = rollover(rollover, date, dryRun);
      if (!dryRun) {
        ops.rolledOver(report.days(), Duration.ofNanos(System.nanoTime() - start)); // a manual run counts too
      }
      return report;
    });
  }

  static RolloverReport rollover(Rollover rollover, LocalDate date, boolean dryRun) {
    if (dryRun) {
      return new RolloverReport(true, LocalBackend.plan(date == null ? rollover.plan() : List.of(rollover.planDay(date))));
    }
    return new RolloverReport(false, date == null ? rollover.runDue() : List.of(rollover.exportDay(date)));
  }

  /** Warns in the log and on {@code /health}, without making the agent unhealthy. */
  public void warn(String warning) {
    log.warn(warning);
    ops.warn(warning);
  }

  private <T> T onWriter(Callable<T> task) {
    try {
      return writer.submit(task).get(REQUEST_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(cause.getMessage(), cause);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the agent is busy; try again later");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }

  /** A periodic task, guarded, with the writer thread's CPU time for it counted in the metrics. */
  private Runnable timed(String task, Runnable body) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    return guarded(task, () -> {
      long start = threads.getCurrentThreadCpuTime();
      try {
        body.run();
      } finally {
        ops.periodicTaskRan(task, threads.getCurrentThreadCpuTime() - start);
      }
    });
  }

  /** A scheduled task that throws is cancelled silently by the executor: log it and carry on instead. */
  private static Runnable guarded(String what, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        log.error("{} failed; will try again: {}", what, e.toString(), e);
      }
    };
  }

  // ---------------------------------------------------------------- lifecycle

  /** Blocks until {@link #close} has finished. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /**
   * Stops in reverse order of start: no new requests or events, finish the report in flight,
   * checkpoint, remove agent.json, release the root.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      awaitQuietly();
      return;
    }
    log.info("stopping");
    if (api != null) {
      api.stop();
    }
    try {
      if (watcher != null) {
        watcher.close();
      }
    } catch (IOException e) {
      log.warn("closing the watcher: {}", e.toString());
    }
    writer.shutdown();
    try {
      if (!writer.awaitTermination(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("the writer did not finish within {} s; stopping it", SHUTDOWN_WAIT.toSeconds());
        writer.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (exportHook != null) {
      exportHook.close(SHUTDOWN_WAIT); // after the writer, which hands it files
    }
    if (ops != null) {
      ops.close(); // after the writer: its last alerts still go out, within a bounded wait
    }
    try {
      store.checkpoint();
    } catch (RuntimeException e) {
      log.warn("checkpoint on stop: {}", e.toString());
    }
    queries.close();
    store.close();
    try {
      Files.deleteIfExists(config.agentFile());
      lock.close();
    } catch (IOException e) {
      log.warn("removing {}: {}", config.agentFile(), e.toString());
    }
    log.info("stopped");
    stopped.countDown();
  }

  private void awaitQuietly() {
    try {
      stopped.await(SHUTDOWN_WAIT.toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
