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
import com.luka02.heartbeat.ingest.QuickCheck;
import com.luka02.heartbeat.ingest.StageListener;
import com.luka02.heartbeat.ops.Operations;
import com.luka02.heartbeat.serve.ApiServer;
import com.luka02.heartbeat.serve.ApiToken;
import com.luka02.heartbeat.store.QueryResult;
import com.luka02.heartbeat.store.StagingStore;
import com.luka02.heartbeat.store.UserQueries;
import com.luka02.heartbeat.watch.ReportWatcher;
import com.luka02.heartbeat.watch.SettleQueue;
import com.luka02.heartbeat.watch.SettleRouter;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
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
  private static final Duration ROLLOVER_TICK = Duration.ofSeconds(60);
  private static final Duration ROLLOVER_RETRY = Duration.ofMinutes(5);
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);

  private final Config config;
  private final Clock clock;
  private final AgentLock lock;
  private final StagingStore store;
  private final UserQueries queries;
  private final Ingester ingester;
  private final QuickCheck quick;
  private final boolean watch;
  private final Rollover rollover;
  private final RolloverTrigger trigger;
  private final ExportHook exportHook;
  private final SettleQueue settling;
  private final SettleRouter router;
  private final SettleWiring wiring;
  private final WriterThread writer;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicBoolean closing = new AtomicBoolean();
  /** The Error that stopped the agent, or null. */
  private final AtomicReference<Error> failure = new AtomicReference<>();
  private final List<StageListener> listeners = new CopyOnWriteArrayList<>();
  private final List<ExportHook.Outcomes> hookListeners = new CopyOnWriteArrayList<>();
  /** For tests: runs before each step of {@link #close}, which must survive it throwing. */
  private volatile Consumer<String> beforeCloseStep = step -> { };
  private volatile ReportWatcher watcher;
  private volatile Rescans rescans;
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
    this.writer = new WriterThread(this::stopOnError, (task, cpuNanos) -> ops.periodicTaskRan(task, cpuNanos));
    this.wiring = new SettleWiring(ingester, settling, closing::get, folder -> rescans.rescanSoon("scan " + folder),
        this::youngAtStartSettled);
    this.router = new SettleRouter(settling, config.summaryDir(), writer, wiring, wiring);
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
    watcher = new ReportWatcher(config.reportsDir(), router.listener(() -> {
      ops.watcherOverflowed();
      rescans.rescanSoon("full rescan after lost events");
    }, () -> rescans.rearmSoon()));
    rescans = new Rescans(new Rescans.Parts(config, clock, quick, settling, router, writer, ops), watcher, watch,
        closing::get);
    if (watch) {
      watcher.start();
    }
    writer.call(() -> rescans.reconcile(wiring::youngAtStart));
    api = ApiServer.start(port, this, ApiToken.load(config.apiTokenFile()), ops,
        ApiServer.page(config, store, clock, ops));
    info = new AgentInfo(ProcessHandle.current().pid(), api.port(), clock.instant().toString(),
        config.root().toString());
    info.write(config.agentFile());
    writer.repeat("check", rescans::periodicCheck, config.reconcileInterval(), config.reconcileInterval());
    writer.repeat("rollover", this::rolloverTick, Duration.ZERO, ROLLOVER_TICK);
    writer.repeat("alert", () -> {
      rescans.guardWatch();
      ops.check();
    }, Duration.ZERO, config.alerting().checkInterval());
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

  /** On the writer, once the files too young at start-up have all settled: exports their finished days. */
  private void youngAtStartSettled() {
    trigger.recheck();
    // A failure must not stop the settling.
    writer.guarded("rollover after start-up", this::rolloverTick).run();
  }

  /** Runs the periodic check now, on the writer; for tests. */
  QuickCheck.Look checkNow() {
    return writer.call(rescans::periodicCheck);
  }

  /** Runs a full rescan now, on the writer; for tests. */
  CatchupResult fullRescanNow() {
    return writer.call(rescans::reconcile);
  }

  private void rolloverTick() {
    Instant now = clock.instant();
    if (!trigger.due(now)) {
      return;
    }
    rescans.reconcileUnlessFresh();
    long start = System.nanoTime();
    List<DayResult> results = rollover.runDue();
    ops.rolledOver(results, Duration.ofNanos(System.nanoTime() - start));
    trigger.ran(now, results.stream().allMatch(DayResult::ok));
    Rescans.returnMemoryAfter(results.size() * 288L);
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
    return writer.call(() -> ingester.catchup(options));
  }

  @Override
  public RolloverReport rollover(LocalDate date, boolean dryRun) {
    return writer.call(() -> {
      long start = System.nanoTime();
      RolloverReport report = rollover.report(date, dryRun);
      if (!dryRun) {
        ops.rolledOver(report.days(), Duration.ofNanos(System.nanoTime() - start)); // a manual run counts too
      }
      return report;
    });
  }

  /** Warns in the log and on {@code /health}, without making the agent unhealthy. */
  public void warn(String warning) {
    log.warn(warning);
    ops.warn(warning);
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * An Error (out of memory, a class missing from the jar) leaves the agent in no state to carry on:
   * it stops, and {@link #failure} tells {@code run} to exit non-zero so that its supervisor starts
   * it afresh. The stop runs on a thread of its own, because it waits for the writer.
   */
  private void stopOnError(Error e) {
    if (failure.compareAndSet(null, e)) {
      log.error("stopping after an unrecoverable error, for the supervisor to restart the agent: {}", e.toString());
      new Thread(this::close, "heartbeat-stop-on-error").start();
    }
  }

  /** The Error that stopped the agent, or null when it stopped because it was asked to (or runs). */
  public Error failure() {
    return failure.get();
  }

  /** Blocks until {@link #close} has finished. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /**
   * Stops in reverse order of start: no new requests or events, finish the report in flight,
   * checkpoint, remove agent.json, release the root. A step that fails is logged and the next runs,
   * so that the root is released and {@link #awaitStop} returns whatever happens.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      awaitQuietly();
      return;
    }
    log.info("stopping");
    StopSequence stop = new StopSequence(beforeCloseStep);
    try {
      stop.then("the HTTP server", api != null, () -> api.stop())
          .then("the watcher", watcher != null, () -> watcher.close())
          .then("the writer", true, () -> writer.stop(SHUTDOWN_WAIT))
          // After the writer, which hands the hook files and raises the last alerts.
          .then("the export hook", exportHook != null, () -> exportHook.close(SHUTDOWN_WAIT))
          .then("operations", ops != null, () -> ops.close())
          .then("the checkpoint", true, store::checkpoint)
          .then("the query pool", true, queries::close)
          .then("the store", true, store::close)
          .then("removing " + config.agentFile(), true, () -> Files.deleteIfExists(config.agentFile()))
          .then("the root's lock", true, lock::close);
      log.info("stopped");
    } finally {
      stopped.countDown();
    }
    stop.rethrowError();
  }

  /** For tests: {@code hook} runs before each step of {@link #close}, named as in the log. */
  void beforeCloseStep(Consumer<String> hook) {
    beforeCloseStep = hook;
  }

  private void awaitQuietly() {
    try {
      stopped.await(SHUTDOWN_WAIT.toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
