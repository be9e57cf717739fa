package com.luka02.heartbeat.export;

import com.luka02.heartbeat.config.CommandLineTemplate;
import com.luka02.heartbeat.config.Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code onExport} command, run for each verified day file on a thread of its own, so a slow or
 * failing upload never holds up staging. Each run is stopped after {@code onExportTimeoutSeconds};
 * a failed run is retried after 30 s, 2 min and 10 min, then given up, logged and shown in {@code status}.
 */
public final class ExportHook implements ExportListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ExportHook.class);
  public static final List<Duration> BACKOFF = List.of(Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(10));
  private static final int OUTPUT_TAIL = 300;

  /** Told of every run's outcome: {@code ok}, {@code failed} (to be retried) or {@code gave_up}. */
  @FunctionalInterface
  public interface Outcomes {
    Outcomes NONE = (outcome, at) -> {};

    void ran(String outcome, Instant at);
  }

  private final Config config;
  private final List<String> command;
  private final List<Duration> backoff;
  private final Clock clock;
  private final Outcomes outcomes;
  private final ScheduledThreadPoolExecutor runner;
  /** Per day, what went wrong with its newest file; a day is removed once its file is shipped. */
  private final Map<LocalDate, String> problems = new LinkedHashMap<>();

  ExportHook(Config config, List<Duration> backoff, Clock clock, Outcomes outcomes) {
    this.config = config;
    this.command = config.lake().onExport();
    this.backoff = List.copyOf(backoff);
    this.clock = clock;
    this.outcomes = outcomes;
    this.runner = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "export-hook");
      t.setDaemon(true);
      return t;
    });
    // A retry due in ten minutes must not hold up a stop: it is dropped, and said so.
    runner.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** The hook {@code config} asks for, or null when it sets no {@code onExport}. */
  public static ExportHook of(Config config, Clock clock, Outcomes outcomes) {
    return config.lake().onExport() == null ? null : new ExportHook(config, BACKOFF, clock, outcomes);
  }

  @Override
  public void exported(LocalDate day, Path file) {
    runner.execute(() -> attempt(day, file, 0));
  }

  /** The newest unresolved problem, for {@code status}, or null when every file was shipped. */
  public synchronized String problem() {
    return problems.values().stream().reduce((a, b) -> b).orElse(null);
  }

  private void attempt(LocalDate day, Path file, int retries) {
    String failure = runOnce(day, file);
    Instant now = clock.instant();
    if (failure == null) {
      log.info("onExport for {}: done", file.getFileName());
      remember(day, null);
      outcomes.ran("ok", now);
      return;
    }
    String what = "onExport for " + file.getFileName() + " failed at " + now + " (" + failure + ")";
    if (retries < backoff.size()) {
      Duration wait = backoff.get(retries);
      String problem = what + "; retry " + (retries + 1) + " of " + backoff.size() + " in " + human(wait);
      try {
        runner.schedule(() -> attempt(day, file, retries + 1), wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        problem += " (not retried: stopping)";
      }
      log.warn(problem);
      remember(day, problem);
      outcomes.ran("failed", now);
    } else {
      String problem = what + "; gave up after " + (retries + 1) + " attempts: ship it by hand or run `rollover --date "
          + day + "`";
      log.error(problem);
      remember(day, problem);
      outcomes.ran("gave_up", now);
    }
  }

  /** Records the day's problem (null: shipped) before anyone is told, so status already shows it. */
  private synchronized void remember(LocalDate day, String problem) {
    problems.remove(day);
    if (problem != null) {
      problems.put(day, problem);
    }
  }

  private static String human(Duration d) {
    return d.toMillis() < 1000 ? d.toMillis() + " ms" : d.toSeconds() + " s";
  }

  /** One run of the command; null when it exited 0, else why not. */
  private String runOnce(LocalDate day, Path file) {
    List<String> args = CommandLineTemplate.expand(command, Map.of(
        "file", file.toString(),
        "path", config.parquetDir().relativize(file).toString().replace('\\', '/'),
        "name", file.getFileName().toString(),
        "day", day.toString(),
        "host", config.host()));
    Path output = config.stagingDb().resolveSibling("onexport.log");
    Duration timeout = config.lake().onExportTimeout();
    Process p;
    try {
      p = new ProcessBuilder(args).directory(config.root().toFile()).redirectErrorStream(true)
          .redirectOutput(output.toFile()).start();
    } catch (IOException e) {
      return "cannot start " + args.get(0) + ": " + e.getMessage();
    }
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        stop(p);
        return "no exit within " + timeout.toSeconds() + " s; stopped";
      }
      return p.exitValue() == 0 ? null : "exit code " + p.exitValue() + ": " + tail(output);
    } catch (InterruptedException e) {
      stop(p);
      Thread.currentThread().interrupt();
      return "stopped with the agent";
    }
  }

  private static void stop(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  private static String tail(Path output) {
    try {
      String text = Files.readString(output, StandardCharsets.UTF_8).strip();
      return text.length() <= OUTPUT_TAIL ? text : "…" + text.substring(text.length() - OUTPUT_TAIL);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  /** Lets a run in progress finish within {@code wait}; retries not yet due are dropped, and logged. */
  public void close(Duration wait) {
    long dropped = runner.getQueue().stream()
        .filter(r -> ((java.util.concurrent.Delayed) r).getDelay(TimeUnit.MILLISECONDS) > 0).count();
    runner.shutdown();
    try {
      if (!runner.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("onExport still running after {} s; stopping it", wait.toSeconds());
        runner.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      runner.shutdownNow();
    }
    if (dropped > 0) {
      log.warn("onExport: {} pending run(s) dropped at stop; the files stay in place: {}", dropped, problem());
    }
  }

  @Override
  public void close() {
    close(config.lake().onExportTimeout());
  }
}
