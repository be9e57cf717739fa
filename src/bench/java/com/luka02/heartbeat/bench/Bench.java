package com.luka02.heartbeat.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the measurements share: the work folder and its corpus, the children they start (the product's
 * commands, its agent and the old exporter) and the results they add to.
 */
final class Bench {
  static final long SEED = 20251027L;
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);
  static final Duration AGENT_START_TIMEOUT = Duration.ofMinutes(10);
  private static final Pattern SCANNED = Pattern.compile("scanned (\\d+)");
  private static final Pattern OLD_ROWS = Pattern.compile("old exporter: (\\d+) rows");

  /** Where the benchmark works and what its children run. */
  record Setup(Path work, Path logs, Path config, Path javaExe, Path jar, List<String> agentJvmOptions, int repeat,
      Corpus.Spec corpus) {}

  final Results results;
  final Path work;
  final Path logs;
  final Path javaExe;
  final Path jar;
  final List<String> agentJvmOptions;
  final int repeat;
  final Corpus.Spec corpus;
  final Path yearRoot;
  /** The old exporter's runs on the year, shared by the catch-up and rollover comparisons. */
  final List<Measure.Run> oldYearRuns = new ArrayList<>();
  private final Path config;
  private Corpus.Stats yearStats;

  Bench(Setup setup, Results results) {
    this.results = results;
    this.work = setup.work();
    this.logs = setup.logs();
    this.config = setup.config();
    this.javaExe = setup.javaExe();
    this.jar = setup.jar();
    this.agentJvmOptions = setup.agentJvmOptions();
    this.repeat = setup.repeat();
    this.corpus = setup.corpus();
    this.yearRoot = work.resolve("year");
  }

  interface Step {
    void run() throws Exception;
  }

  /** Runs one step, reports how long it took and records its failure, if any, without stopping the run. */
  boolean attempt(String what, Step step) {
    long start = System.nanoTime();
    System.err.println("bench: " + what + " ...");
    try {
      step.run();
      System.err.printf("bench: %s done in %.1f s%n", what, (System.nanoTime() - start) / 1e9);
      return true;
    } catch (Exception | AssertionError e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      System.err.println("bench: " + what + " FAILED: " + e);
      results.failed(what, e);
      return false;
    }
  }

  // ---------------------------------------------------------------- the corpus

  /** Writes the year's corpus and describes it. */
  void prepareYear() throws IOException {
    Files.createDirectories(yearRoot);
    long start = System.nanoTime();
    yearStats = Corpus.write(yearRoot, corpus);
    long ms = (System.nanoTime() - start) / 1_000_000;
    ObjectNode c = results.section("corpus");
    c.put("firstDay", corpus.firstDay().toString());
    c.put("days", corpus.days());
    c.put("seed", corpus.seed());
    c.put("reports", yearStats.reports());
    c.put("heartbeatFiles", yearStats.heartbeatFiles());
    c.put("conflictCopies", yearStats.conflictCopies());
    c.put("oldLayoutFiles", yearStats.oldLayoutFiles());
    c.put("neighbours", yearStats.neighbours());
    c.put("bytes", yearStats.bytes());
    c.put("generateMs", ms);
    ObjectNode mix = c.putObject("mix");
    yearStats.mix().forEach((k, v) -> mix.put(k.name().toLowerCase(), v));
    StringBuilder shares = new StringBuilder();
    yearStats.mix().forEach((k, v) -> shares.append(shares.isEmpty() ? "" : ", ")
        .append(k.name().toLowerCase()).append(' ').append("%.1f%%".formatted(100.0 * v / yearStats.reports())));
    results.header("corpus:  %d days from %s: %,d reports in %,d heartbeat files (%d conflict copies, %,d directly under g/reports/), %,d neighbours, %.0f MB; generated in %s"
        .formatted(corpus.days(), corpus.firstDay(), yearStats.reports(), yearStats.heartbeatFiles(),
            yearStats.conflictCopies(), yearStats.oldLayoutFiles(), yearStats.neighbours(), yearStats.bytes() / 1e6,
            Results.ms(ms)));
    results.header("mix:     " + shares);
  }

  /** The year's corpus, once {@link #prepareYear} has written it. */
  Corpus.Stats yearStats() {
    return yearStats;
  }

  LocalDate rolloverDay() {
    return corpus.day(corpus.days() / 2);
  }

  /** Stages a root without measuring it: the setup other measurements need. */
  void stage(Path root, String name) throws Exception {
    Measure.Run r = cli(name, root, "catchup").requireSuccess();
    results.section("setup").put(name + "Ms", r.wallMs());
  }

  // ---------------------------------------------------------------- children

  List<String> command(Path root, String... args) {
    List<String> cmd = new ArrayList<>(List.of(javaExe.toString(), "-jar", jar.toString(),
        "--root", root.toString(), "--config", config.toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  Measure.Run cli(String name, Path root, String... args) throws Exception {
    Measure.Run r = Measure.run(name, command(root, args), root, logs, RUN_TIMEOUT);
    System.err.printf("bench:   %-22s %6d ms  peak RSS %5.0f MB  %s%n", name, r.wallMs(), r.peakRssKb() / 1024.0,
        firstLine(r.output()));
    return r;
  }

  Measure.Run oldExporter(String name, Path root, Path parquet) throws Exception {
    Path tmp = Files.createDirectories(work.resolve("old/tmp"));
    // Its own temp folder: the DuckDB driver unpacks its native library there at every start, as ours does.
    // The old exporter is the bench's own class; DuckDB comes from the product jar.
    String classPath = codeSource(OldExporter.class) + java.io.File.pathSeparator + jar;
    List<String> cmd = List.of(javaExe.toString(), "-Djava.io.tmpdir=" + tmp, "-cp", classPath,
        OldExporter.class.getName(), root.toString(), parquet.toString());
    Measure.Run r = Measure.run(name, cmd, root, logs, RUN_TIMEOUT).requireSuccess();
    System.err.printf("bench:   %-22s %6d ms  peak RSS %5.0f MB  %s%n", name, r.wallMs(), r.peakRssKb() / 1024.0,
        firstLine(r.output()));
    return r;
  }

  AgentChild startAgent(String name, Path root) throws Exception {
    List<String> cmd = command(root, "run", "--port", "0");
    cmd.addAll(1, agentJvmOptions);
    return AgentChild.start(name, cmd, root, root.resolve("g/state/agent.json"), logs, AGENT_START_TIMEOUT);
  }

  /**
   * Waits until the agent's start-up work is done: the writer thread runs the first rollover tick
   * (every due day not yet exported) before any request queued after it.
   */
  void settle(AgentChild agent, String section) throws Exception {
    long start = System.nanoTime();
    // The tick is queued before our request; the ledger key it writes confirms that it has run.
    for (int i = 0; i < 100; i++) {
      agent.post("/rollover?dry_run=true&date=" + rolloverDay());
      if (agent.count("SELECT count(*) FROM agent_state WHERE key = 'rollover.last_run'") > 0) {
        break;
      }
      Thread.sleep(50);
    }
    long settleMs = (System.nanoTime() - start) / 1_000_000;
    ObjectNode s = results.section(section);
    long exported = agent.count("SELECT count(*) FROM exports");
    s.put("startupMs", agent.startupMs());
    s.put("startupExportMs", settleMs);
    s.put("daysExportedAtStartup", exported);
    s.put("rssAfterStartupMb", agent.sample().rssKb() / 1024.0);
    if (section.equals("agentYear")) {
      results.row("agent start on the year: ready (agent.json), then first rollover tick",
          "%s, then %s exporting %d due days (no staging meanwhile)".formatted(Results.ms(agent.startupMs()),
              Results.ms(settleMs), exported));
    }
  }

  long count(Path root, String sql) throws Exception {
    Measure.Run r = cli("query-" + root.getFileName(), root, "query", sql, "--format", "csv").requireSuccess();
    String[] lines = r.output().split("\n");
    return Long.parseLong(lines[lines.length - 1].trim());
  }

  ArrayNode runs(List<Measure.Run> runs) {
    ArrayNode a = results.json().arrayNode();
    for (Measure.Run r : runs) {
      a.addObject().put("name", r.name()).put("wallMs", r.wallMs()).put("peakRssMb", r.peakRssKb() / 1024.0)
          .put("cpuMs", r.cpuMs()).put("output", firstLine(r.output()));
    }
    return a;
  }

  static void deleteStore(Path root) throws IOException {
    Path state = root.resolve("g/state");
    for (String f : List.of("staging.duckdb", "staging.duckdb.wal")) {
      Files.deleteIfExists(state.resolve(f));
    }
  }

  static long scanned(Measure.Run r) {
    Matcher m = SCANNED.matcher(r.output());
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  static long oldRows(Measure.Run r) {
    Matcher m = OLD_ROWS.matcher(r.output());
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  static long medianOf(List<Measure.Run> runs, ToLongFunction<Measure.Run> f) {
    return Results.median(runs.stream().mapToLong(f).toArray());
  }

  static Path codeSource(Class<?> c) throws URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
