package com.luka02.heartbeat.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;

/** The resolved, validated settings of one heartbeat-ingester root; immutable once loaded. */
public record Config(
    Path root,
    Path reportsDir,
    Path stagingDb,
    Path parquetDir,
    Path summaryDir,
    Path logDir,
    ZoneId zone,
    LocalTime rolloverTime,
    int retentionDays,
    long maxFileBytes,
    Duration settle,
    Duration incompleteGrace,
    Duration reconcileInterval,
    Duration cadence,
    int port,
    ParquetLayout layout,
    String host,
    Duration queryTimeout,
    int queryMaxRows,
    Path apiTokenFile,
    Redaction redaction,
    Alerting alerting,
    SqlLimits sqlLimits,
    Lake lake) {

  /**
   * What DuckDB and the query surface may take.
   *
   * @param memoryLimitMb DuckDB's memory limit, shared by the agent's own work and every query
   * @param threads DuckDB's worker threads, likewise shared
   * @param querySlots user queries running at once; one more is answered 429
   * @param queryMaxResultMb the largest answer a query may give, in MiB; a larger one is answered 413
   */
  public record SqlLimits(int memoryLimitMb, int threads, int querySlots, int queryMaxResultMb) {}

  /**
   * What the Parquet folder holds beyond its layout, and what ships each new file elsewhere.
   *
   * @param provenance also write {@code source_path}, {@code content_hash} and {@code ingested_at}
   * @param onExport the command run after each verified export, split into arguments, or null
   * @param onExportTimeout one run of that command is stopped after this long
   */
  public record Lake(boolean provenance, java.util.List<String> onExport, Duration onExportTimeout) {}

  /**
   * When and where to raise alerts.
   *
   * @param silenceMultiple no heartbeat for this many cadences raises the silence alert
   * @param webhookUrl where alerts are posted as JSON (Discord, Slack), or null for log and metric only
   * @param checkInterval how often silence is looked for
   */
  public record Alerting(double silenceMultiple, boolean onCritical, java.net.URI webhookUrl, Duration checkInterval) {
    /** The webhook's path is its secret: never printed. */
    @Override
    public String toString() {
      return "Alerting[silenceMultiple=" + silenceMultiple + ", onCritical=" + onCritical + ", webhook="
          + (webhookUrl == null ? "none" : webhookUrl.getScheme() + "://" + webhookUrl.getHost() + "/…")
          + ", checkInterval=" + checkInterval + "]";
    }
  }

  /** How Parquet files are laid out under the Parquet folder. */
  public enum ParquetLayout {
    /** {@code ops_atomic_YYYYMMDD.parquet}, as the old exporter wrote. */
    FLAT,
    /** {@code host=H/day=YYYY-MM-DD/ops_atomic_YYYYMMDD_H.parquet}: both partition columns in the path. */
    HIVE
  }

  /**
   * The folders SQL may touch: the Parquet archive (exports write and merge there) and the store's
   * own folder (its private work folder lives there). Not the reports: the agent reads them in Java.
   */
  public java.util.List<Path> sqlFolders() {
    return java.util.stream.Stream.of(stagingDb.getParent(), parquetDir).distinct().toList();
  }

  /** The agent's files that live beside the staging database. */
  public Path agentFile() {
    return agentFileBeside(stagingDb);
  }

  /** Where the agent of the staging database {@code stagingDb} says where it listens. */
  public static Path agentFileBeside(Path stagingDb) {
    return stagingDb.resolveSibling("agent.json");
  }

  public Path lockFile() {
    return stagingDb.resolveSibling("agent.lock");
  }

  /** A builder that names every setting; {@code root} first, since every path hangs from it. */
  public static Builder builder(Path root) {
    return new Builder(root);
  }

  /**
   * Sets {@link Config}'s settings by name. Every setting must be given except {@code apiTokenFile};
   * {@link #build()} names the first one missing. The loader validates values: this only assembles.
   */
  public static final class Builder {
    private final Path root;
    private Path reportsDir;
    private Path stagingDb;
    private Path parquetDir;
    private Path summaryDir;
    private Path logDir;
    private ZoneId zone;
    private LocalTime rolloverTime;
    private Integer retentionDays;
    private Long maxFileBytes;
    private Duration settle;
    private Duration incompleteGrace;
    private Duration reconcileInterval;
    private Duration cadence;
    private Integer port;
    private ParquetLayout layout;
    private String host;
    private Duration queryTimeout;
    private Integer queryMaxRows;
    private Path apiTokenFile;
    private Redaction redaction;
    private Alerting alerting;
    private SqlLimits sqlLimits;
    private Lake lake;

    private Builder(Path root) {
      this.root = root;
    }

    public Builder reportsDir(Path reportsDir) {
      this.reportsDir = reportsDir;
      return this;
    }

    public Builder stagingDb(Path stagingDb) {
      this.stagingDb = stagingDb;
      return this;
    }

    public Builder parquetDir(Path parquetDir) {
      this.parquetDir = parquetDir;
      return this;
    }

    public Builder summaryDir(Path summaryDir) {
      this.summaryDir = summaryDir;
      return this;
    }

    public Builder logDir(Path logDir) {
      this.logDir = logDir;
      return this;
    }

    public Builder zone(ZoneId zone) {
      this.zone = zone;
      return this;
    }

    public Builder rolloverTime(LocalTime rolloverTime) {
      this.rolloverTime = rolloverTime;
      return this;
    }

    public Builder retentionDays(int retentionDays) {
      this.retentionDays = retentionDays;
      return this;
    }

    public Builder maxFileBytes(long maxFileBytes) {
      this.maxFileBytes = maxFileBytes;
      return this;
    }

    public Builder settle(Duration settle) {
      this.settle = settle;
      return this;
    }

    public Builder incompleteGrace(Duration incompleteGrace) {
      this.incompleteGrace = incompleteGrace;
      return this;
    }

    public Builder reconcileInterval(Duration reconcileInterval) {
      this.reconcileInterval = reconcileInterval;
      return this;
    }

    public Builder cadence(Duration cadence) {
      this.cadence = cadence;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder layout(ParquetLayout layout) {
      this.layout = layout;
      return this;
    }

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder queryTimeout(Duration queryTimeout) {
      this.queryTimeout = queryTimeout;
      return this;
    }

    public Builder queryMaxRows(int queryMaxRows) {
      this.queryMaxRows = queryMaxRows;
      return this;
    }

    public Builder apiTokenFile(Path apiTokenFile) {
      this.apiTokenFile = apiTokenFile;
      return this;
    }

    public Builder redaction(Redaction redaction) {
      this.redaction = redaction;
      return this;
    }

    public Builder alerting(Alerting alerting) {
      this.alerting = alerting;
      return this;
    }

    public Builder sqlLimits(SqlLimits sqlLimits) {
      this.sqlLimits = sqlLimits;
      return this;
    }

    public Builder lake(Lake lake) {
      this.lake = lake;
      return this;
    }

    /** The config; throws {@link IllegalStateException} naming the first setting not given. */
    public Config build() {
      return new Config(
          need(root, "root"),
          need(reportsDir, "reportsDir"),
          need(stagingDb, "stagingDb"),
          need(parquetDir, "parquetDir"),
          need(summaryDir, "summaryDir"),
          need(logDir, "logDir"),
          need(zone, "zone"),
          need(rolloverTime, "rolloverTime"),
          need(retentionDays, "retentionDays"),
          need(maxFileBytes, "maxFileBytes"),
          need(settle, "settle"),
          need(incompleteGrace, "incompleteGrace"),
          need(reconcileInterval, "reconcileInterval"),
          need(cadence, "cadence"),
          need(port, "port"),
          need(layout, "layout"),
          need(host, "host"),
          need(queryTimeout, "queryTimeout"),
          need(queryMaxRows, "queryMaxRows"),
          apiTokenFile,
          need(redaction, "redaction"),
          need(alerting, "alerting"),
          need(sqlLimits, "sqlLimits"),
          need(lake, "lake"));
    }

    private static <T> T need(T value, String name) {
      if (value == null) {
        throw new IllegalStateException("Config.Builder: " + name + " was not set");
      }
      return value;
    }
  }

  /** A path relative to the root, with forward slashes, as stored in the database. */
  public String relative(Path file) {
    String abs = file.toString();
    String prefix = root.toString();
    // The fast path: the walk hands out absolute, normalised paths below the root.
    if (file.isAbsolute() && abs.startsWith(prefix) && abs.length() > prefix.length()
        && abs.charAt(prefix.length()) == java.io.File.separatorChar && !abs.contains("/..") && !abs.contains("/./")) {
      return abs.substring(prefix.length() + 1).replace('\\', '/');
    }
    Path rel = root.relativize(file.toAbsolutePath().normalize());
    return rel.toString().replace('\\', '/');
  }
}
