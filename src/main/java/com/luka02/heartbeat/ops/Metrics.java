package com.luka02.heartbeat.ops;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;

/**
 * The agent's Prometheus metrics, in a registry of their own (not the JVM-wide default), with the
 * client library's JVM and process metrics, written in the format the scraper asks for. No metric keeps
 * exemplars ({@code prometheus.properties} in the jar turns them off): nothing here is traced, and
 * the library's exemplar sampler runs a thread that woke an idle agent every few seconds.
 */
final class Metrics {
  /** The version in the jar's manifest; a build from the source tree (tests) has none. */
  static final String VERSION = java.util.Objects.requireNonNullElse(
      Metrics.class.getPackage().getImplementationVersion(), "development");

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final ExpositionFormats formats = ExpositionFormats.init();

  final Counter staged = Counter.builder().name("heartbeat_reports_staged_total")
      .help("Heartbeat reports staged as new or replaced rows").register(registry);
  final Counter quarantined = Counter.builder().name("heartbeat_reports_quarantined_total")
      .help("Heartbeat-named files quarantined as not a valid report").register(registry);
  final Gauge lastReport = Gauge.builder().name("heartbeat_last_report_timestamp_seconds")
      .help("The **Timestamp:** of the newest staged report, in Unix seconds").register(registry);
  final Histogram stagingLatency = Histogram.builder().name("heartbeat_staging_latency_seconds")
      .help("From a report file's last write to its row's commit, for files that landed while the agent watched")
      .classicOnly().classicUpperBounds(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300).register(registry);
  final Gauge stagingRows = Gauge.builder().name("heartbeat_staging_rows")
      .help("Rows in the staging table").register(registry);
  final Gauge quarantineFiles = Gauge.builder().name("heartbeat_quarantine_files")
      .help("Files in quarantine now").register(registry);
  final Counter overflows = Counter.builder().name("heartbeat_watcher_overflows_total")
      .help("Times the file watcher lost events and a full reconcile followed").register(registry);
  final Counter lostEvents = Counter.builder().name("heartbeat_watcher_lost_events_total")
      .help("Files the periodic check found changed that no file event had reported; a full rescan follows")
      .register(registry);
  final Counter taskRuns = Counter.builder().name("heartbeat_periodic_task_runs_total")
      .help("Runs of each periodic task: check (lost events), alert (alert check and store probe), rollover (tick)")
      .labelNames("task").register(registry);
  final Counter taskCpu = Counter.builder().name("heartbeat_periodic_task_cpu_seconds_total")
      .help("CPU time the agent's writer thread spent in each periodic task (DuckDB's own threads not included)")
      .labelNames("task").register(registry);
  final Counter reconciles = Counter.builder().name("heartbeat_reconcile_runs_total")
      .help("Full rescans of the reports tree, by outcome").labelNames("outcome").register(registry);
  final Gauge lastRollover = Gauge.builder().name("heartbeat_rollover_last_success_timestamp_seconds")
      .help("When a day was last exported to Parquet and verified, in Unix seconds").register(registry);
  final Histogram rolloverDuration = Histogram.builder().name("heartbeat_rollover_duration_seconds")
      .help("Duration of rollover runs that exported or failed at least one day")
      .classicOnly().classicUpperBounds(0.1, 0.5, 1, 5, 15, 60, 300, 900).register(registry);
  final Counter rolloverFailures = Counter.builder().name("heartbeat_rollover_failures_total")
      .help("Days whose export failed (each is retried)").register(registry);
  final Counter alerts = Counter.builder().name("heartbeat_alerts_total")
      .help("Alerts raised, by kind: silence (no heartbeat) or critical (a CRITICAL report)")
      .labelNames("kind").register(registry);
  final Gauge alertActive = Gauge.builder().name("heartbeat_alert_active")
      .help("1 while an alert of this kind is open, else 0").labelNames("kind").register(registry);
  final Counter webhook = Counter.builder().name("heartbeat_webhook_deliveries_total")
      .help("Alert webhook messages, by outcome: sent, or failed after every retry").labelNames("outcome")
      .register(registry);
  final Counter refused = Counter.builder().name("heartbeat_http_refused_total")
      .help("HTTP requests refused as a web page's, by reason: host, cross_site, method, client_header")
      .labelNames("reason").register(registry);
  final Counter exportHook = Counter.builder().name("heartbeat_export_hook_runs_total")
      .help("Runs of the onExport command, by outcome: ok, failed (to be retried), gave_up")
      .labelNames("outcome").register(registry);
  final Gauge exportHookLastFailure = Gauge.builder().name("heartbeat_export_hook_last_failure_timestamp_seconds")
      .help("When an onExport run last failed, in Unix seconds (0: never)").register(registry);
  final Gauge healthy = Gauge.builder().name("heartbeat_healthy")
      .help("1 while /health answers 200, else 0").register(registry);
  private final Gauge buildInfo = Gauge.builder().name("heartbeat_build_info")
      .help("Always 1; the labels say which heartbeat-ingester and Java run").labelNames("version", "java")
      .register(registry);

  Metrics() {
    // Heap, GC, threads, classes, buffer pools, and the process's CPU, RSS and open files.
    JvmMetrics.builder().register(registry);
    buildInfo.labelValues(VERSION, System.getProperty("java.runtime.version", "unknown")).set(1);
    for (Alerts.Kind kind : Alerts.Kind.values()) {
      // Present from the start, so that rate() and absent() behave before the first alert.
      alerts.labelValues(label(kind));
      alertActive.labelValues(label(kind)).set(0);
    }
    for (String outcome : new String[] {"ok", "failed"}) {
      reconciles.labelValues(outcome);
    }
    for (String outcome : new String[] {"sent", "failed"}) {
      webhook.labelValues(outcome);
    }
    for (String outcome : new String[] {"ok", "failed", "gave_up"}) {
      exportHook.labelValues(outcome);
    }
    for (String reason : new String[] {"host", "cross_site", "method", "client_header"}) {
      refused.labelValues(reason);
    }
  }

  static String label(Alerts.Kind kind) {
    return kind.name().toLowerCase(java.util.Locale.ROOT);
  }

  static double seconds(Instant t) {
    return t.toEpochMilli() / 1000.0;
  }

  /**
   * Writes every metric in the format {@code accept} (the request's Accept header, may be null) asks
   * for: OpenMetrics for a scraper that prefers it, else the Prometheus text format. Returns the
   * response's content type.
   */
  String write(OutputStream out, String accept) throws IOException {
    ExpositionFormatWriter writer = formats.findWriter(accept);
    if (!writer.isAvailable()) {
      writer = formats.getPrometheusTextFormatWriter(); // protobuf needs a module we do not ship
    }
    writer.write(out, registry.scrape());
    return writer.getContentType();
  }
}
