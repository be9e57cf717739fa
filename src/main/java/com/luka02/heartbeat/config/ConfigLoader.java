package com.luka02.heartbeat.config;

import com.luka02.heartbeat.config.Config.ParquetLayout;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Reads the optional JSON config file and applies the documented defaults. */
public final class ConfigLoader {
  public static final String DEFAULT_REPORTS = "g/reports";
  /** Outside the Parquet folder, so that a lake reading that folder finds nothing but Parquet. */
  public static final String DEFAULT_STAGING_DB = "g/state/staging.duckdb";
  /** Where versions before the lake layout kept the staging database; moved at the first start. */
  public static final String LEGACY_STAGING_DB = "g/analytics/staging.duckdb";
  public static final String DEFAULT_PARQUET = "g/analytics";
  public static final String DEFAULT_SUMMARIES = "g/reports/parquet";
  public static final String DEFAULT_LOGS = "g/logs";
  public static final String DEFAULT_ROLLOVER_TIME = "02:30";
  public static final int DEFAULT_RETENTION_DAYS = 30;
  public static final long DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
  public static final long DEFAULT_SETTLE_MILLIS = 200;
  public static final long DEFAULT_INCOMPLETE_GRACE_MILLIS = 10_000;
  public static final long DEFAULT_RECONCILE_SECONDS = 300;
  public static final long DEFAULT_CADENCE_SECONDS = 300;
  public static final int DEFAULT_PORT = 8787;
  public static final long DEFAULT_QUERY_TIMEOUT_SECONDS = 30;
  public static final int DEFAULT_QUERY_MAX_ROWS = 100_000;
  public static final int DEFAULT_DUCKDB_MEMORY_LIMIT_MB = 512;
  public static final int DEFAULT_DUCKDB_THREADS = 2;
  public static final int DEFAULT_QUERY_SLOTS = 2;
  public static final int DEFAULT_QUERY_MAX_RESULT_MB = 16;
  public static final double DEFAULT_ALERT_SILENCE_MULTIPLE = 3;
  public static final boolean DEFAULT_ALERT_ON_CRITICAL = true;
  public static final long DEFAULT_ALERT_CHECK_SECONDS = 60;
  public static final long DEFAULT_ON_EXPORT_TIMEOUT_SECONDS = 600;

  private ConfigLoader() {}

  /** Loads {@code configFile} (may be null) for {@code root}; throws {@link ConfigException} naming field, value and rule. */
  public static Config load(Path root, Path configFile) {
    Path absRoot = root.toAbsolutePath().normalize();
    ConfigFile f = configFile == null ? new ConfigFile() : ConfigFile.read(configFile);
    String source = configFile == null ? "defaults" : configFile.toString();
    // Checked in this order, so that of several bad fields the same one is named first, as always.
    Config.Builder config = Config.builder(absRoot);
    timing(config, source, f);
    serving(config, absRoot, source, f);
    folders(config, absRoot, source, f);
    return config
        .alerting(alerting(source, f))
        .sqlLimits(sqlLimits(source, f))
        .lake(lake(source, f))
        .build();
  }

  /** The zone, the rollover time, retention, the file size limit and the watcher's and checks' timing. */
  private static void timing(Config.Builder config, String source, ConfigFile f) {
    ZoneId zone = f.zone == null ? ZoneId.systemDefault() : parseZone(source, f.zone);
    LocalTime rollover = parseTime(source, f.rolloverTime == null ? DEFAULT_ROLLOVER_TIME : f.rolloverTime);
    int retention = orDefault(f.retentionDays, DEFAULT_RETENTION_DAYS);
    require(retention >= 0, source, "retentionDays", retention, "must be 0 (keep forever) or a positive number of days");
    long maxBytes = orDefault(f.maxFileBytes, DEFAULT_MAX_FILE_BYTES);
    require(maxBytes >= 1024, source, "maxFileBytes", maxBytes, "must be at least 1024");
    long settle = orDefault(f.settleMillis, DEFAULT_SETTLE_MILLIS);
    require(settle >= 0 && settle <= 60_000, source, "settleMillis", settle, "must be between 0 and 60000");
    long grace = orDefault(f.incompleteGraceMillis, DEFAULT_INCOMPLETE_GRACE_MILLIS);
    require(grace >= settle, source, "incompleteGraceMillis", grace, "must be at least settleMillis (" + settle + ")");
    long reconcile = orDefault(f.reconcileIntervalSeconds, DEFAULT_RECONCILE_SECONDS);
    require(reconcile >= 10, source, "reconcileIntervalSeconds", reconcile, "must be at least 10");
    long cadence = orDefault(f.cadenceSeconds, DEFAULT_CADENCE_SECONDS);
    require(cadence >= 1, source, "cadenceSeconds", cadence, "must be at least 1");
    config.zone(zone)
        .rolloverTime(rollover)
        .retentionDays(retention)
        .maxFileBytes(maxBytes)
        .settle(Duration.ofMillis(settle))
        .incompleteGrace(Duration.ofMillis(grace))
        .reconcileInterval(Duration.ofSeconds(reconcile))
        .cadence(Duration.ofSeconds(cadence));
  }

  /** The port, the Parquet layout and host, the query limits, the API token file and redaction. */
  private static void serving(Config.Builder config, Path absRoot, String source, ConfigFile f) {
    int port = orDefault(f.port, DEFAULT_PORT);
    require(port >= 0 && port <= 65535, source, "port", port, "must be between 0 (any free port) and 65535");
    ParquetLayout layout = parseLayout(source, f.parquetLayout);
    String host = f.host == null ? localHostName() : f.host;
    require(host.matches("[A-Za-z0-9._-]+"), source, "host", host, "may contain only letters, digits, '.', '_' and '-'");
    long queryTimeout = orDefault(f.queryTimeoutSeconds, DEFAULT_QUERY_TIMEOUT_SECONDS);
    require(queryTimeout >= 1 && queryTimeout <= 3600, source, "queryTimeoutSeconds", queryTimeout,
        "must be between 1 and 3600");
    int maxRows = orDefault(f.queryMaxRows, DEFAULT_QUERY_MAX_ROWS);
    require(maxRows >= 1 && maxRows <= 10_000_000, source, "queryMaxRows", maxRows, "must be between 1 and 10000000");
    Path tokenFile = f.apiTokenFile == null ? null : absRoot.resolve(f.apiTokenFile).normalize();
    Redaction redaction;
    try {
      redaction = Redaction.of(orDefault(f.redact, true),
          f.redactPatterns == null ? java.util.List.of() : f.redactPatterns);
    } catch (java.util.regex.PatternSyntaxException e) {
      throw invalid(source, "redactPatterns", e.getPattern(), "must be Java regular expressions: " + e.getDescription());
    }
    config.port(port)
        .layout(layout)
        .host(host)
        .queryTimeout(Duration.ofSeconds(queryTimeout))
        .queryMaxRows(maxRows)
        .apiTokenFile(tokenFile)
        .redaction(redaction);
  }

  /** The folders below the root; without {@code stagingDb}, the database moves from its old place if it must. */
  private static void folders(Config.Builder config, Path absRoot, String source, ConfigFile f) {
    config.reportsDir(dir(absRoot, source, "reportsDir", f.reportsDir, DEFAULT_REPORTS))
        .stagingDb(f.stagingDb != null ? dir(absRoot, source, "stagingDb", f.stagingDb, DEFAULT_STAGING_DB)
            : StagingLocation.settle(absRoot.resolve(DEFAULT_STAGING_DB), absRoot.resolve(LEGACY_STAGING_DB)))
        .parquetDir(dir(absRoot, source, "parquetDir", f.parquetDir, DEFAULT_PARQUET))
        .summaryDir(dir(absRoot, source, "summaryDir", f.summaryDir, DEFAULT_SUMMARIES))
        .logDir(dir(absRoot, source, "logDir", f.logDir, DEFAULT_LOGS));
  }

  private static Config.SqlLimits sqlLimits(String source, ConfigFile f) {
    int memory = orDefault(f.duckdbMemoryLimitMb, DEFAULT_DUCKDB_MEMORY_LIMIT_MB);
    require(memory >= 128 && memory <= 1_048_576, source, "duckdbMemoryLimitMb", memory,
        "must be between 128 and 1048576 (MB)");
    int threads = orDefault(f.duckdbThreads, DEFAULT_DUCKDB_THREADS);
    require(threads >= 1 && threads <= 256, source, "duckdbThreads", threads, "must be between 1 and 256");
    int slots = orDefault(f.querySlots, DEFAULT_QUERY_SLOTS);
    // The HTTP server has 4 threads: queries may hold at most 3, so /health and the page keep one.
    require(slots >= 1 && slots <= 3, source, "querySlots", slots,
        "must be between 1 and 3, so that /health, /metrics and the status page always have an HTTP thread");
    int result = orDefault(f.queryMaxResultMb, DEFAULT_QUERY_MAX_RESULT_MB);
    require(result >= 1 && result <= 1024, source, "queryMaxResultMb", result, "must be between 1 and 1024 (MiB)");
    return new Config.SqlLimits(memory, threads, slots, result);
  }

  private static Config.Lake lake(String source, ConfigFile f) {
    long timeout = orDefault(f.onExportTimeoutSeconds, DEFAULT_ON_EXPORT_TIMEOUT_SECONDS);
    require(timeout >= 1 && timeout <= 86_400, source, "onExportTimeoutSeconds", timeout, "must be between 1 and 86400");
    java.util.List<String> command = null;
    if (f.onExport != null) {
      try {
        command = CommandLineTemplate.parse(f.onExport);
      } catch (IllegalArgumentException e) {
        throw invalid(source, "onExport", f.onExport, e.getMessage());
      }
    }
    return new Config.Lake(orDefault(f.parquetProvenance, false), command, Duration.ofSeconds(timeout));
  }

  private static Config.Alerting alerting(String source, ConfigFile f) {
    double multiple = orDefault(f.alertSilenceMultiple, DEFAULT_ALERT_SILENCE_MULTIPLE);
    require(multiple >= 1.5 && multiple <= 1000, source, "alertSilenceMultiple", f.alertSilenceMultiple,
        "must be between 1.5 and 1000 (times cadenceSeconds)");
    long check = orDefault(f.alertCheckSeconds, DEFAULT_ALERT_CHECK_SECONDS);
    require(check >= 1 && check <= 3600, source, "alertCheckSeconds", check, "must be between 1 and 3600");
    java.net.URI webhook = null;
    if (f.alertWebhookUrl != null) {
      try {
        webhook = new java.net.URI(f.alertWebhookUrl);
      } catch (java.net.URISyntaxException e) {
        webhook = null;
      }
      boolean http = webhook != null && webhook.getHost() != null
          && ("https".equalsIgnoreCase(webhook.getScheme()) || "http".equalsIgnoreCase(webhook.getScheme()));
      // The URL's path is the webhook's secret: name only its scheme and host.
      require(http, source, "alertWebhookUrl", webhook != null && webhook.getHost() != null
              ? webhook.getScheme() + "://" + webhook.getHost() + "/…" : "(not a URL)",
          "must be an http:// or https:// URL, such as a Discord or Slack incoming webhook");
    }
    return new Config.Alerting(multiple, orDefault(f.alertOnCritical, DEFAULT_ALERT_ON_CRITICAL), webhook,
        Duration.ofSeconds(check));
  }

  private static Path dir(Path root, String source, String field, String value, String fallback) {
    String v = value == null ? fallback : value;
    require(!v.isBlank(), source, field, v, "must not be empty");
    return root.resolve(v).toAbsolutePath().normalize();
  }

  private static ZoneId parseZone(String source, String zone) {
    try {
      return ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw invalid(source, "zone", zone, "must be a region id such as Asia/Bangkok or UTC");
    }
  }

  private static LocalTime parseTime(String source, String time) {
    try {
      return LocalTime.parse(time);
    } catch (DateTimeParseException e) {
      throw invalid(source, "rolloverTime", time, "must be a local time HH:MM, such as 02:30");
    }
  }

  private static ParquetLayout parseLayout(String source, String layout) {
    if (layout == null) {
      return ParquetLayout.FLAT;
    }
    try {
      return ParquetLayout.valueOf(layout.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid(source, "parquetLayout", layout, "must be 'flat' or 'hive'");
    }
  }

  private static String localHostName() {
    try {
      String name = InetAddress.getLocalHost().getHostName();
      return name.replaceAll("[^A-Za-z0-9._-]", "_");
    } catch (IOException e) {
      return "localhost";
    }
  }

  private static <T> T orDefault(T value, T fallback) {
    return value == null ? fallback : value;
  }

  private static void require(boolean ok, String source, String field, Object value, String rule) {
    if (!ok) {
      throw invalid(source, field, value, rule);
    }
  }

  private static ConfigException invalid(String source, String field, Object value, String rule) {
    return new ConfigException(source + ": invalid " + field + " '" + value + "': " + rule);
  }

  /** Reads a file that must exist, for the CLI. */
  public static Path existing(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("config file not found: " + file);
    }
    return file;
  }
}
