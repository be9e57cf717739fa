package com.luka02.heartbeat.ops;

import com.luka02.heartbeat.store.StoreDamagedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Whether the agent is doing its job: watching the reports folder, and able to write the store.
 * The writer proves it is not stuck by running the alert check; writability is proven by staging
 * or, when idle, by a small write every few minutes. A failed write, a writer that has not run for too
 * long, and staging that failed and has not succeeded since (a store can take the small write and
 * still refuse every report) make the agent unhealthy.
 */
public final class Health {
  /**
   * The answer of {@code /health}; {@code problems} is empty exactly when healthy. {@code warnings}
   * do not make it unhealthy (the log file cannot be written, say).
   */
  public record Report(State status, boolean watching, boolean storeWritable, Instant lastStoreWrite,
      List<String> problems, List<String> warnings) {
    public boolean healthy() {
      return problems.isEmpty();
    }
  }

  /** The agent's own state, kept apart from the monitored system's {@code report.Status}. */
  enum State {
    OK, UNHEALTHY;

    /** {@code ok} or {@code unhealthy}, as {@code /health} and the page's badge spell it. */
    @com.fasterxml.jackson.annotation.JsonValue
    String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Path reportsDir;
  private final BooleanSupplier watching;
  private final LongSupplier nanoTime;
  private final Duration writeOverdue;
  private final Supplier<String> stagingFailure;
  private volatile Instant lastWrite;
  private volatile long lastWriteNanos;
  private volatile long lastRunNanos;
  private volatile String writeError;
  private final List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * @param nanoTime a monotonic source: a stuck writer is told by real elapsed time, not the
   *     injected wall clock that tests move by hours
   * @param stagingFailure why staging last failed, null once it has succeeded since
   */
  Health(Path reportsDir, BooleanSupplier watching, LongSupplier nanoTime, Duration writeOverdue,
      Supplier<String> stagingFailure) {
    this.reportsDir = reportsDir;
    this.stagingFailure = stagingFailure;
    this.watching = watching;
    this.nanoTime = nanoTime;
    this.writeOverdue = writeOverdue;
    this.lastWriteNanos = nanoTime.getAsLong();
    this.lastRunNanos = lastWriteNanos;
  }

  /** Called on the writer thread whenever it runs the periodic check: the writer is not stuck. */
  void writerRan() {
    lastRunNanos = nanoTime.getAsLong();
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

  /**
   * A table or sequence that vanished is damage the agent does not paper over by recreating it: the
   * rows it held would be missing for good, while the files still say they were staged. A corrupt
   * block likewise needs the rebuild that {@code recover} does.
   */
  private static String nextStep(String failure) {
    boolean damaged = failure.contains("Catalog Error") && failure.contains("does not exist")
        || StoreDamagedException.isDamage(failure);
    return damaged
        ? " (the store is damaged: stop the agent and run `heartbeat-ingester recover`)" : "";
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
    Duration sinceRun = Duration.ofNanos(nanoTime.getAsLong() - lastRunNanos);
    if (error != null) {
      problems.add(error);
    }
    if (sinceRun.compareTo(writeOverdue) > 0) {
      problems.add("the writer has not run its periodic check for " + Alerts.human(sinceRun)
          + " (expected one at least every " + Alerts.human(writeOverdue) + "): the writer is stuck");
    }
    String staging = stagingFailure.get();
    if (staging != null) {
      problems.add("staging fails: " + staging + nextStep(staging));
    }
    boolean writable = error == null && staging == null && sinceRun.compareTo(writeOverdue) <= 0;
    return new Report(problems.isEmpty() ? State.OK : State.UNHEALTHY, folder && watcher, writable, lastWrite,
        List.copyOf(problems), List.copyOf(warnings));
  }
}
