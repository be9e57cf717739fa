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
    return stagingDb.resolveSibling("agent.json");
  }

  public Path lockFile() {
    return stagingDb.resolveSibling("agent.lock");
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
