package com.luka02.heartbeat.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Whether the agent is doing its job: watching the reports folder, and able to write the store.
 * Writability is proven by a small write on the writer thread at every alert check; a failed write,
 * or none for too long (the writer is stuck), makes the agent unhealthy.
 */
final class Health {
  /**
   * The answer of {@code /health}; {@code problems} is empty exactly when healthy. {@code warnings}
   * do not make it unhealthy (the log file cannot be written, say).
   */
  record Report(String status, boolean watching, boolean storeWritable, Instant lastStoreWrite,
      List<String> problems, List<String> warnings) {
    boolean healthy() {
      return problems.isEmpty();
    }
  }

  private final Path reportsDir;
  private final BooleanSupplier watching;
  private final LongSupplier nanoTime;
  private final Duration writeOverdue;
  private volatile Instant lastWrite;
  private volatile long lastWriteNanos;
  private volatile String writeError;
  private final List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * @param nanoTime a monotonic source: a stuck writer is told by real elapsed time, not the
   *     injected wall clock that tests move by hours
   */
  Health(Path reportsDir, BooleanSupplier watching, LongSupplier nanoTime, Duration writeOverdue) {
    this.reportsDir = reportsDir;
    this.watching = watching;
    this.nanoTime = nanoTime;
    this.writeOverdue = writeOverdue;
    this.lastWriteNanos = nanoTime.getAsLong();
  }

  /** Called on the writer thread after a write succeeded. */
  void wrote(Instant at) {
    lastWrite = at;
    lastWriteNanos = nanoTime.getAsLong();
    writeError = null;
  }

  /** Whether a write succeeded less than {@code d} ago and none has failed since. */
  boolean wroteWithin(Duration d) {
    return writeError == null && lastWrite != null && nanoTime.getAsLong() - lastWriteNanos < d.toNanos();
  }

  void warn(String warning) {
    warnings.add(warning);
  }

  /** Called on the writer thread after a write failed. */
  void writeFailed(Instant at, RuntimeException e) {
    writeError = "the staging store refused a write at " + at + ": " + e.getMessage();
  }

  Report check() {
    List<String> problems = new ArrayList<>();
    boolean folder = Files.isDirectory(reportsDir);
    boolean watcher = watching.getAsBoolean();
    if (!folder) {
      problems.add("not watching: the reports folder " + reportsDir + " is missing");
    } else if (!watcher) {
      problems.add("not watching: the file watcher has stopped (see the log)");
    }
    String error = writeError;
    Duration sinceWrite = Duration.ofNanos(nanoTime.getAsLong() - lastWriteNanos);
    if (error != null) {
      problems.add(error);
    } else if (sinceWrite.compareTo(writeOverdue) > 0) {
      problems.add("no write to the staging store has succeeded for " + Alerts.human(sinceWrite)
          + " (expected one at least every " + Alerts.human(writeOverdue) + "): the writer is stuck or failing");
    }
    boolean writable = error == null && sinceWrite.compareTo(writeOverdue) <= 0;
    return new Report(problems.isEmpty() ? "ok" : "unhealthy", folder && watcher, writable, lastWrite,
        List.copyOf(problems), List.copyOf(warnings));
  }
}
