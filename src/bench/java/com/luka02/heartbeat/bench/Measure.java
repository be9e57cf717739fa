package com.luka02.heartbeat.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Child processes measured from outside, as a user would see them: wall time, and memory and CPU
 * read from {@code /proc/PID/status} (VmRSS, VmHWM) and {@code /proc/PID/stat} (utime + stime).
 */
final class Measure {
  static final Duration POLL = Duration.ofMillis(20);
  private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux the JDK runs on

  private Measure() {}

  /** One finished run: wall time from spawn to exit, the peak resident set, CPU time and exit code. */
  record Run(String name, long wallMs, long peakRssKb, long cpuMs, int exitCode, Path stdout, Path stderr) {
    String output() {
      try {
        return Files.readString(stdout, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        return "";
      }
    }

    /** Throws when the process failed, quoting the end of its error output. */
    Run requireSuccess() {
      if (exitCode != 0) {
        String err;
        try {
          err = Files.readString(stderr, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
          err = "(no stderr: " + e.getMessage() + ")";
        }
        throw new IllegalStateException(name + " exited with " + exitCode + ": "
            + err.substring(Math.max(0, err.length() - 2000)));
      }
      return this;
    }
  }

  /** Memory and CPU of a live process at one moment; zeros once it is gone. */
  record ProcSample(long rssKb, long hwmKb, long cpuMs) {
    static final ProcSample GONE = new ProcSample(0, 0, 0);
  }

  /** Runs {@code command} to completion in {@code dir}, output to {@code logs}/{@code name}.out/.err. */
  static Run run(String name, List<String> command, Path dir, Path logs, Duration timeout)
      throws IOException, InterruptedException {
    Path out = logs.resolve(name + ".out");
    Path err = logs.resolve(name + ".err");
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    long start = System.nanoTime();
    Process p = pb.start();
    long deadline = start + timeout.toNanos();
    long hwm = 0;
    long cpu = 0;
    // Polling on this thread: waitFor returns the moment the child exits, so the wall time is exact.
    while (!p.waitFor(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
      ProcSample s = sample(p.pid());
      hwm = Math.max(hwm, s.hwmKb());
      cpu = Math.max(cpu, s.cpuMs());
      if (System.nanoTime() > deadline) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException(name + " did not finish within " + timeout.toSeconds() + " s: " + command);
      }
    }
    long wallMs = (System.nanoTime() - start) / 1_000_000;
    return new Run(name, wallMs, hwm, cpu, p.exitValue(), out, err);
  }

  /**
   * Each thread's CPU time so far, in nanoseconds, by thread id (the first field of
   * {@code /proc/PID/task/TID/schedstat}): {@code /proc/PID/stat} counts in 10 ms ticks, too coarse
   * for the 40-50 ms an idle agent spends in ten minutes. Empty when the process is gone.
   */
  static Map<String, Long> threadCpuNanos(long pid) {
    Map<String, Long> out = new HashMap<>();
    try (var tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path t : tasks) {
        try {
          String stat = Files.readString(t.resolve("schedstat")).trim();
          out.put(t.getFileName().toString(), Long.parseLong(stat.substring(0, stat.indexOf(' '))));
        } catch (IOException | RuntimeException e) {
          // the thread ended between the listing and the read
        }
      }
    } catch (IOException e) {
      // the process is gone: nothing to count
    }
    return out;
  }

  /**
   * CPU time between two {@link #threadCpuNanos} readings, in ns: a thread present in both counts its
   * difference, a thread started since counts whole. A thread that ended in between is lost; for an
   * idle agent that is a pool thread retired after a minute of doing nothing.
   */
  static long cpuNanosBetween(Map<String, Long> before, Map<String, Long> after) {
    long sum = 0;
    for (var e : after.entrySet()) {
      sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
    }
    return sum;
  }

  /** Reads a process's memory and CPU now. */
  static ProcSample sample(long pid) {
    try {
      long rss = 0;
      long hwm = 0;
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = kb(line);
        } else if (line.startsWith("VmHWM:")) {
          hwm = kb(line);
        }
      }
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name may hold spaces and parentheses: fields are counted after the last ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15: utime, stime
      return new ProcSample(rss, hwm, ticks * 1000 / CLOCK_TICKS_PER_SECOND);
    } catch (NoSuchFileException e) {
      return ProcSample.GONE;
    } catch (IOException | RuntimeException e) {
      return ProcSample.GONE; // exited between the two reads
    }
  }

  private static long kb(String line) {
    String[] parts = line.trim().split("\\s+");
    return Long.parseLong(parts[1]);
  }

  /** A long-running child (the agent) whose memory and CPU are sampled in the background. */
  static final class Child implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Thread sampler;
    private volatile ProcSample last = new ProcSample(0, 0, 0);

    private Child(String name, Process process) {
      this.name = name;
      this.process = process;
      this.sampler = new Thread(this::sampleUntilExit, "sample-" + name);
      sampler.setDaemon(true);
      sampler.start();
    }

    static Child start(String name, List<String> command, Path dir, Path logs) throws IOException {
      ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
          .redirectOutput(logs.resolve(name + ".out").toFile()).redirectError(logs.resolve(name + ".err").toFile());
      return new Child(name, pb.start());
    }

    private void sampleUntilExit() {
      try {
        while (!process.waitFor(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
          ProcSample s = sample(process.pid());
          if (s != ProcSample.GONE) {
            last = s;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    long pid() {
      return process.pid();
    }

    boolean alive() {
      return process.isAlive();
    }

    /** The latest sample, at most {@link #POLL} old. */
    ProcSample now() {
      return last;
    }

    /** SIGTERM, then SIGKILL if it has not stopped within {@code wait}; returns the exit code. */
    int stop(Duration wait) throws InterruptedException {
      process.destroy();
      if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        System.err.println("warning: " + name + " did not stop within " + wait.toSeconds() + " s of SIGTERM; killing it");
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      sampler.join(1000);
      return process.isAlive() ? -1 : process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
      if (process.isAlive()) {
        stop(Duration.ofSeconds(30));
      }
    }
  }
}
