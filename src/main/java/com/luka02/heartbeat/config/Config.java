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
    String host) {

  /** How Parquet files are laid out under the Parquet folder. */
  public enum ParquetLayout {
    /** {@code ops_atomic_YYYYMMDD.parquet}, as the old exporter wrote. */
    FLAT,
    /** {@code day=YYYY-MM-DD/host=H/ops_atomic_YYYYMMDD.parquet}, with a host column. */
    HIVE
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
