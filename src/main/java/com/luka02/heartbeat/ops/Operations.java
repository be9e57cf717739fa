package com.luka02.heartbeat.ops;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.export.DayResult;
import com.luka02.heartbeat.ingest.StageListener;
import com.luka02.heartbeat.report.Check;
import com.luka02.heartbeat.report.Heartbeat;
import com.luka02.heartbeat.report.Status;
import com.luka02.heartbeat.store.QuarantineRow;
import com.luka02.heartbeat.store.QuarantinedFile;
import com.luka02.heartbeat.store.ReportRow;
import com.luka02.heartbeat.io.Json;
import com.luka02.heartbeat.store.StageCounts;
import com.luka02.heartbeat.store.StagedFile;
import com.luka02.heartbeat.store.StagingStore;
import com.luka02.heartbeat.store.StateKey;
import com.luka02.heartbeat.store.StoreStats;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operating the agent: health, Prometheus metrics, missing-heartbeat and CRITICAL alerts (log,
 * metric, optional webhook), and the status page's overview. The agent tells it what happens; the
 * serving package answers {@code /health}, {@code /metrics} and {@code /api/overview} from it.
 *
 * <p>{@link #committed}, {@link #check} and the other notifications run on the agent's writer thread;
 * the readers run on HTTP threads and only read.
 */
public final class Operations implements StageListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Operations.class);
  private static final Duration WEBHOOK_DRAIN = Duration.ofSeconds(5);
  private static final int DETAIL_CHARS = 160;
  private static final int QUARANTINE_SHOWN = 50;
  /**
   * A write this recent proves the store writable. A commit to disk is most of an idle agent's work,
   * and staging failures are told by staging itself, so an idle agent proves it only this often.
   */
  private static final Duration PROBE_EVERY = Duration.ofMinutes(30);

  private final Config config;
  private final StagingStore store;
  private final Clock clock;
  private final long startedWallMs;
  private final Metrics metrics = new Metrics();
  private final Health health;
  private final Alerts alerts;
  private final Webhook webhook;
  /** The alerts' state for HTTP threads; the alerts themselves belong to the writer. */
  private volatile Alerts.State alertState;

  private Operations(Config config, StagingStore store, Clock clock, BooleanSupplier watching) {
    this.config = config;
    this.store = store;
    this.clock = clock;
    // File mtimes are the file system's wall time, so staging latency is measured on that wall too.
    this.startedWallMs = System.currentTimeMillis();
    Config.Alerting a = config.alerting();
    Duration overdue = Duration.ofMinutes(2).compareTo(a.checkInterval().multipliedBy(4)) > 0
        ? Duration.ofMinutes(2) : a.checkInterval().multipliedBy(4);
    this.health = new Health(config.reportsDir(), watching, System::nanoTime, overdue, store::stagingFailure);
    StoreStats stats = store.stats(LocalDate.ofInstant(clock.instant(), config.zone()));
    this.alerts = new Alerts(config.cadence(), a.silenceMultiple(), a.onCritical(), clock.instant(), stats.lastReport(),
        config.zone());
    this.webhook = a.webhookUrl() == null ? null
        : new Webhook(a.webhookUrl(), Webhook.BACKOFF, ok -> metrics.webhook.labelValues(ok ? "sent" : "failed").inc());
    this.alertState = alerts.state();
    refresh(stats);
  }

  /**
   * Operations for an agent on {@code store}; {@code watching} says whether its file watcher runs.
   * Reads the store once, to start the silence clock from the newest staged report.
   */
  public static Operations create(Config config, StagingStore store, Clock clock, BooleanSupplier watching) {
    return new Operations(config, store, clock, watching);
  }

  // ---------------------------------------------------------------- told by the agent, on its writer

  /** Counts the transaction, observes staging latency, and lets the newest report speak to the alerts. */
  @Override
  public void committed(List<StagedFile> staged, List<QuarantinedFile> quarantined, StageCounts counts) {
    metrics.staged.inc(counts.inserted() + counts.replaced());
    metrics.quarantined.inc(quarantined.size());
    long now = System.currentTimeMillis();
    for (StagedFile f : staged) {
      if (f.mtimeMs() >= startedWallMs) {
        metrics.stagingLatency.observe(Math.max(0, now - f.mtimeMs()) / 1000.0);
      }
    }
    staged.stream().map(StagedFile::heartbeat).max(Comparator.comparing(Heartbeat::timestamp)).ifPresent(h -> {
      metrics.lastReport.set(Math.max(metrics.lastReport.get(), Metrics.seconds(h.timestamp())));
      publish(alerts.onReport(h.timestamp(), h.status(), failures(h), clock.instant()));
    });
    if (!staged.isEmpty() || !quarantined.isEmpty()) {
      health.wrote(clock.instant());
    }
  }

  /**
   * The periodic check, on the writer thread: that it runs proves the writer is not stuck; it proves
   * the store writable by a small write when no other write did for {@link #PROBE_EVERY} (a failed
   * one is tried again at every check), then looks for silence.
   */
  public void check() {
    Instant now = clock.instant();
    health.writerRan();
    if (!health.wroteWithin(PROBE_EVERY)) {
      try {
        store.putState(StateKey.AGENT_ALIVE_AT, now.toString(), now);
        health.wrote(now);
      } catch (RuntimeException e) {
        health.writeFailed(now, e);
        log.error("the staging store refused a write: {}", e.toString());
      }
    }
    publish(alerts.tick(now));
  }

  public void watcherOverflowed() {
    metrics.overflows.inc();
  }

  /** A periodic task ran, costing the writer thread {@code cpuNanos}: its cost per run, for the README's table. */
  public void periodicTaskRan(String task, long cpuNanos) {
    metrics.taskRuns.labelValues(task).inc();
    metrics.taskCpu.labelValues(task).inc(cpuNanos / 1e9);
  }

  /** The periodic check found {@code files} that no event had reported. */
  public void lostEvents(int files) {
    metrics.lostEvents.inc(files);
  }

  /** A condition that does not stop the agent but that its operator should know, shown by {@code /health}. */
  public void warn(String warning) {
    health.warn(warning);
  }

  public void reconciled(boolean ok) {
    metrics.reconciles.labelValues(ok ? "ok" : "failed").inc();
  }

  /** The HTTP API refused a request that a web page could have sent; {@code reason} labels the metric. */
  public void refusedRequest(String reason) {
    metrics.refused.labelValues(reason).inc();
  }

  /** The onExport command ran once, with {@code outcome} ok, failed or gave_up. */
  public void exportHookRan(String outcome, Instant at) {
    metrics.exportHook.labelValues(outcome).inc();
    if (!"ok".equals(outcome)) {
      metrics.exportHookLastFailure.set(Metrics.seconds(at));
    }
  }

  /** A rollover ran; a run that found nothing to do is not timed. */
  public void rolledOver(List<DayResult> results, Duration took) {
    if (results.isEmpty()) {
      return;
    }
    metrics.rolloverDuration.observe(took.toNanos() / 1e9);
    metrics.rolloverFailures.inc(results.stream().filter(r -> !r.ok()).count());
    if (results.stream().anyMatch(DayResult::ok)) {
      metrics.lastRollover.set(Metrics.seconds(clock.instant()));
    }
  }

  private void publish(List<Alerts.Event> events) {
    alertState = alerts.state();
    for (Alerts.Event e : events) {
      String kind = Metrics.label(e.kind());
      String message = (e.raised() ? "\uD83D\uDD34 " : "\uD83D\uDFE2 ") + "heartbeat-ingester on " + config.host()
          + ": " + e.message();
      if (e.raised()) {
        log.warn("ALERT {}: {}", kind, e.message());
        metrics.alerts.labelValues(kind).inc();
      } else {
        log.info("RECOVERED {}: {}", kind, e.message());
      }
      metrics.alertActive.labelValues(kind).set(e.raised() ? 1 : 0);
      if (webhook != null) {
        webhook.send(message);
      }
    }
  }

  /** What a report says failed, on one line: {@code Database: Database file not found; ...}. */
  private static String failures(Heartbeat h) {
    return h.checks().stream()
        .filter(c -> c.status() == Status.ERROR)
        .map(Operations::oneLine)
        .collect(Collectors.joining("; "));
  }

  private static String oneLine(Check c) {
    String message = c.message() == null ? "" : c.message().strip();
    int nl = message.indexOf('\n');
    String first = (nl < 0 ? message : message.substring(0, nl)).strip();
    if (first.length() > DETAIL_CHARS) {
      first = first.substring(0, DETAIL_CHARS) + "\u2026";
    }
    String name = "Status".equals(c.label()) ? c.section() : c.section() + " " + c.label();
    return name + ": " + first;
  }

  // ---------------------------------------------------------------- served

  /** What {@code GET /health} answers: healthy while watching and the store takes writes; the report says why not. */
  public Health.Report health() {
    return health.check();
  }

  /** Writes {@code GET /metrics} in the format {@code accept} asks for, and returns its content type. */
  public String writeMetrics(OutputStream out, String accept) throws IOException {
    try {
      refresh(store.stats(LocalDate.ofInstant(clock.instant(), config.zone())));
    } catch (RuntimeException e) {
      log.warn("metrics: cannot read the store's figures; serving the last ones: {}", e.toString());
    }
    metrics.healthy.set(health.check().healthy() ? 1 : 0);
    return metrics.write(out, accept);
  }

  private void refresh(StoreStats s) {
    metrics.stagingRows.set(s.rowsTotal());
    metrics.quarantineFiles.set(s.quarantined());
    if (s.lastReport() != null) {
      metrics.lastReport.set(Math.max(metrics.lastReport.get(), Metrics.seconds(s.lastReport())));
    }
    if (s.lastExportAt() != null) {
      metrics.lastRollover.set(Math.max(metrics.lastRollover.get(), Metrics.seconds(s.lastExportAt())));
    }
  }

  /** What the status page's {@code /api/overview} shows. */
  public Object overview() {
    Instant now = clock.instant();
    StoreStats stats = store.stats(LocalDate.ofInstant(now, config.zone()));
    return Overview.of(health.check(), alertState, ReportRow.latest(store.latestReport(), Json.mapper()), store.statusSince(),
        QuarantineRow.of(store.quarantineList(QUARANTINE_SHOWN)), stats.quarantined(), config.zone(), now);
  }

  /** Lets queued webhook messages go out, for a few seconds at most. */
  @Override
  public void close() {
    if (webhook != null) {
      webhook.close(WEBHOOK_DRAIN);
    }
  }
}
