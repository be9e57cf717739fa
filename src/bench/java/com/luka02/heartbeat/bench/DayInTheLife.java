package com.luka02.heartbeat.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * "A day in the life": what the idle agent costs per day, at one day and at a year of history,
 * beside the old exporter's one nightly run on the same tree.
 *
 * <p>The agent runs as the README starts it, on a tree nothing writes to. Once its start-up work is
 * done it is left to settle (the JIT compiles what the periodic tasks run, once per start), then
 * watched for a window that holds whole cycles of every periodic task (the periodic check, the
 * one-minute alert check and rollover tick). Its CPU over the window (each thread's nanoseconds from
 * {@code /proc/PID/task/TID/schedstat}: the process's 10 ms ticks are too coarse for the 40-50 ms an
 * idle agent spends in ten minutes) is scaled to 24 hours; the two tasks that run once a day, the
 * full rescan and the rollover of one day, are then run on request and their CPU added once each:
 *
 * <pre>CPU/day = CPU(window) * 86400 / window + CPU(one full rescan) + CPU(one day's rollover)</pre>
 *
 * What the agent spent before the window (its start, start-up catch-up and settling) is reported
 * beside it as a cost per start, not per day: the agent starts once per boot or login.
 *
 * A window with the check interval shortened below its default of 300 s overstates the checks'
 * share by 300 / interval: the figure is then an upper bound. In both trees the last day's reports
 * carry a recent mtime (see {@link #freshen}), as on a live tree.
 */
final class DayInTheLife {
  /** What one tree measured. */
  record Figures(String tree, long startCpuMs, long windowCpuMs, long fullRescanCpuMs, long rolloverCpuMs,
      double cpuSecondsPerDay, double windowCpuSecondsPerDay, double rssMinMb, double rssMaxMb, double rssEndMb, long oldExporterCpuMs,
      Map<String, Double> taskMsPerRun) {}

  private static final Pattern TASK = Pattern.compile(
      "^heartbeat_periodic_task_(runs_total|cpu_seconds_total)\\{task=\"(\\w+)\"} (\\S+)$", Pattern.MULTILINE);

  /** Starts the agent child on a root with the measurement's config. */
  interface Agents {
    AgentChild start(String name, Path root, Path config) throws Exception;
  }

  /** Runs the old exporter once on a root. */
  interface OldRuns {
    Measure.Run run(String name, Path root) throws Exception;
  }

  private final int windowSeconds;
  private final int settleSeconds;
  private final int intervalSeconds;
  private final Agents agents;
  private final OldRuns old;

  DayInTheLife(int windowSeconds, int settleSeconds, int intervalSeconds, Agents agents, OldRuns old) {
    this.windowSeconds = windowSeconds;
    this.settleSeconds = settleSeconds;
    this.intervalSeconds = intervalSeconds;
    this.agents = agents;
    this.old = old;
  }

  /** Measures the last day alone and the bench's year, each on its own agent, and reports both. */
  static void run(Bench bench, int windowSeconds, int settleSeconds, int intervalSeconds) throws Exception {
    Path dayConfig = config(bench.work, intervalSeconds);
    Path oneDay = Files.createDirectories(bench.work.resolve("one-day"));
    Corpus.Spec corpus = bench.corpus;
    int last = corpus.days() - 1;
    Corpus.write(oneDay, corpus, i -> i == last);
    freshen(oneDay, corpus.day(last));
    freshen(bench.yearRoot, corpus.day(last));
    DayInTheLife d = new DayInTheLife(windowSeconds, settleSeconds, intervalSeconds, (name, root, c) -> {
      List<String> cmd = new ArrayList<>(List.of(bench.javaExe.toString(), "-jar", bench.jar.toString(),
          "--root", root.toString(), "--config", c.toString(), "run", "--port", "0"));
      cmd.addAll(1, bench.agentJvmOptions);
      return AgentChild.start(name, cmd, root, root.resolve("g/state/agent.json"), bench.logs,
          Bench.AGENT_START_TIMEOUT);
    }, (name, root) -> bench.oldExporter(name, root, bench.work.resolve("old/" + name + ".parquet")));
    d.report(List.of(d.measure("1 day", oneDay, dayConfig, corpus.day(last)),
        d.measure(corpus.days() + " days", bench.yearRoot, dayConfig, bench.rolloverDay())), bench.results);
  }

  /** The config of the measured agent: the bench's own, with the check interval of the measurement. */
  static Path config(Path work, int intervalSeconds) throws IOException {
    return Files.writeString(work.resolve("day-in-the-life-config.json"),
        "{\"zone\": \"UTC\", \"retentionDays\": 0, \"reconcileIntervalSeconds\": " + intervalSeconds + "}\n");
  }

  /**
   * Gives the reports of {@code day} an mtime of an hour ago, as on a tree the monitor writes to:
   * the periodic check re-stats the last hours' reports, so both trees then hold a day of them.
   */
  static void freshen(Path root, LocalDate day) throws IOException {
    String name = "heartbeat_" + day;
    FileTime recent = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
    try (Stream<Path> all = Files.walk(root.resolve("g/reports"))) {
      for (Path p : all.filter(p -> p.getFileName().toString().startsWith(name)).toList()) {
        Files.setLastModifiedTime(p, recent);
      }
    }
  }

  Figures measure(String tree, Path root, Path config, LocalDate rolloverDay) throws Exception {
    String name = tree.replace(' ', '-');
    Measure.Run oldRun = old.run("old-" + name, root);
    try (AgentChild agent = agents.start("agent-" + name, root, config)) {
      awaitStartupWork(agent, rolloverDay);
      Thread.sleep(settleSeconds * 1000L);
      long startCpu = agent.sample().cpuMs();
      Map<String, double[]> before = tasks(agent.metrics());
      Window w = window(agent);
      Map<String, Double> perRun = perRun(before, tasks(agent.metrics()));
      long full = cpuOf(agent, "/catchup");
      long roll = cpuOf(agent, "/rollover?date=" + rolloverDay);
      double windowPerDay = w.cpuMs() / 1000.0 * 86_400 / windowSeconds;
      double perDay = windowPerDay + (full + roll) / 1000.0;
      agent.stop();
      return new Figures(tree, startCpu, w.cpuMs(), full, roll, perDay, windowPerDay, w.rssMinKb() / 1024.0,
          w.rssMaxKb() / 1024.0, w.rssEndKb() / 1024.0, oldRun.cpuMs(), perRun);
    }
  }

  private record Window(long cpuMs, long rssMinKb, long rssMaxKb, long rssEndKb) {}

  /** Runs and CPU seconds of each periodic task, from the agent's metrics. */
  private static Map<String, double[]> tasks(String metrics) {
    Map<String, double[]> out = new TreeMap<>();
    Matcher m = TASK.matcher(metrics);
    while (m.find()) {
      out.computeIfAbsent(m.group(2), k -> new double[2])[m.group(1).startsWith("runs") ? 0 : 1] =
          Double.parseDouble(m.group(3));
    }
    return out;
  }

  /** The writer thread's CPU per run of each task over the window, in ms. */
  private static Map<String, Double> perRun(Map<String, double[]> before, Map<String, double[]> after) {
    Map<String, Double> out = new TreeMap<>();
    after.forEach((task, a) -> {
      double[] b = before.getOrDefault(task, new double[2]);
      if (a[0] > b[0]) {
        out.put(task, 1000 * (a[1] - b[1]) / (a[0] - b[0]));
      }
    });
    return out;
  }

  /** Samples the untouched agent every second for the window; its CPU from each thread's nanoseconds. */
  private Window window(AgentChild agent) throws InterruptedException {
    Map<String, Long> threadsBefore = Measure.threadCpuNanos(agent.pid());
    Measure.ProcSample first = agent.sample();
    long min = first.rssKb();
    long max = first.rssKb();
    long start = System.nanoTime();
    long end = start + windowSeconds * 1_000_000_000L;
    for (long next = start + 1_000_000_000L; next <= end; next += 1_000_000_000L) {
      Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
      long rss = agent.sample().rssKb();
      min = Math.min(min, rss);
      max = Math.max(max, rss);
    }
    Measure.ProcSample last = agent.sample();
    long cpuNanos = Measure.cpuNanosBetween(threadsBefore, Measure.threadCpuNanos(agent.pid()));
    return new Window(Math.round(cpuNanos / 1e6), min, max, last.rssKb());
  }

  /** The agent's CPU for one request that runs a once-a-day task. */
  private static long cpuOf(AgentChild agent, String post) throws IOException, InterruptedException {
    long before = agent.sample().cpuMs();
    agent.post(post);
    return agent.sample().cpuMs() - before;
  }

  /**
   * Waits until the start-up work (catch-up, the exports of every due day) is done: the rollover
   * tick writes {@code rollover.last_run} once it has run, and the writer runs one thing at a time.
   */
  private static void awaitStartupWork(AgentChild agent, LocalDate day) throws Exception {
    for (int i = 0; i < 6000; i++) {
      agent.post("/rollover?dry_run=true&date=" + day);
      if (agent.count("SELECT count(*) FROM agent_state WHERE key = 'rollover.last_run'") > 0) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the agent's start-up rollover did not run within 10 minutes");
  }

  /** Rows for the printed table and the JSON section. */
  void report(List<Figures> all, Results results) {
    ObjectNode s = results.section("dayInTheLife");
    s.put("windowSeconds", windowSeconds);
    s.put("settleSeconds", settleSeconds);
    s.put("checkIntervalSeconds", intervalSeconds);
    s.put("formula", "CPU(window) * 86400 / window + CPU(one full rescan) + CPU(one day's rollover)"
        + (intervalSeconds < 300 ? "; check interval shortened to " + intervalSeconds + " s: an upper bound" : ""));
    List<Double> windows = new ArrayList<>();
    for (Figures f : all) {
      s.putPOJO(f.tree(), f);
      windows.add(f.windowCpuSecondsPerDay());
      String t = "day in the life, " + f.tree() + " of history";
      String figure = "%.1f s (%.1f + %.1f + %.1f)".formatted(f.cpuSecondsPerDay(), f.windowCpuSecondsPerDay(),
          f.fullRescanCpuMs() / 1000.0, f.rolloverCpuMs() / 1000.0);
      String what = t + ": CPU-s per day (periodic + rescan + rollover)";
      if (f == all.get(all.size() - 1)) {
        // The goal is set at the longest history: a JVM that stays up cannot undercut one short run on a day's tree.
        results.row(what, figure, "<= old exporter's run (%.1f s)".formatted(f.oldExporterCpuMs() / 1000.0),
            f.cpuSecondsPerDay() <= f.oldExporterCpuMs() / 1000.0);
      } else {
        results.row(what, figure + "; old exporter's run %.1f s".formatted(f.oldExporterCpuMs() / 1000.0));
      }
      StringBuilder tasks = new StringBuilder();
      f.taskMsPerRun().forEach((k, v) -> tasks.append(tasks.isEmpty() ? "" : ", ").append(k).append(' ')
          .append("%.2f ms".formatted(v)));
      results.row(t + ": writer CPU per run of each periodic task", tasks.toString());
      results.row(t + ": CPU-s per start (start-up work and %d s settling, before the window)".formatted(settleSeconds),
          "%.1f s".formatted(f.startCpuMs() / 1000.0));
      results.row(t + ": RSS over %d s (min / max / end)".formatted(windowSeconds),
          "%.0f / %.0f / %.0f MB".formatted(f.rssMinMb(), f.rssMaxMb(), f.rssEndMb()));
    }
    if (windows.size() == 2) {
      double ratio = windows.get(1) / Math.max(1e-9, windows.get(0));
      s.put("periodicCostRatio", ratio);
      results.row("day in the life: periodic cost, %s / %s".formatted(all.get(1).tree(), all.get(0).tree()),
          "%.2f".formatted(ratio), "<= 1.5", ratio <= 1.5);
    }
  }
}
