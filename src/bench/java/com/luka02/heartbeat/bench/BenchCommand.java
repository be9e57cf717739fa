package com.luka02.heartbeat.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.luka02.heartbeat.cli.Main;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The benchmark ({@code java -jar target/heartbeat-ingester-bench.jar}): generates a corpus shaped like the
 * real reports tree and measures the agent and the commands as child JVMs running the product jar, side by
 * side with the old exporter, on the same machine.
 */
@Command(name = "heartbeat-ingester-bench", mixinStandardHelpOptions = true,
    versionProvider = BenchCommand.Version.class,
    description = {
        "Benchmarks heartbeat-ingester as a user runs it: generates a realistic reports",
        "tree, runs the agent and the commands as child JVMs of heartbeat-ingester.jar,",
        "and the old exporter beside them on the same corpus. Prints a table and writes",
        "JSON. Measurements: latency, catchup, rollover, idle, sustain, day."})
public final class BenchCommand implements Callable<Integer> {
  static final Set<String> MEASUREMENTS = Set.of("latency", "catchup", "rollover", "idle", "sustain", "day");
  private static final LocalDate LATEST_FIRST_DAY = LocalDate.of(2024, 11, 1);

  @Spec CommandSpec spec;

  @Option(names = "--days", defaultValue = "365", paramLabel = "N",
      description = "Days of reports in the corpus, 288 a day (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--work", paramLabel = "DIR",
      description = "Empty or new folder to work in (default: a new temp folder). Deleted after unless --keep.")
  Path work;

  @Option(names = "--keep", description = "Keep the work folder (corpus, databases, logs of every child).")
  boolean keep;

  @Option(names = "--latency-reports", defaultValue = "200", paramLabel = "N",
      description = "Reports written for the latency measurement (default: ${DEFAULT-VALUE}).")
  int latencyReports;

  @Option(names = "--latency-rate", defaultValue = "5", paramLabel = "PER_SECOND",
      description = "Reports per second for the latency measurement (default: ${DEFAULT-VALUE}).")
  double latencyRate;

  @Option(names = "--sustain-seconds", defaultValue = "120", paramLabel = "S",
      description = "Length of the sustained-ingest measurement (default: ${DEFAULT-VALUE}).")
  int sustainSeconds;

  @Option(names = "--sustain-rate", defaultValue = "50", paramLabel = "PER_SECOND",
      description = "Reports per second under sustained ingest (default: ${DEFAULT-VALUE}).")
  int sustainRate;

  @Option(names = "--idle-seconds", defaultValue = "60", paramLabel = "S",
      description = "How long the idle agent is watched (default: ${DEFAULT-VALUE}).")
  int idleSeconds;

  @Option(names = "--day-seconds", defaultValue = "600", paramLabel = "S",
      description = "The day-in-the-life window per tree, a multiple of --day-interval and of 30 (default: ${DEFAULT-VALUE}).")
  int daySeconds;

  @Option(names = "--day-settle-seconds", defaultValue = "300", paramLabel = "S",
      description = "How long the day-in-the-life agent settles after its start-up work before the window"
          + " (default: ${DEFAULT-VALUE}).")
  int daySettleSeconds;

  @Option(names = "--day-interval", defaultValue = "300", paramLabel = "S",
      description = "reconcileIntervalSeconds of the day-in-the-life agent; below 300 the figure is an upper bound"
          + " (default: ${DEFAULT-VALUE}).")
  int dayInterval;

  @Option(names = "--repeat", defaultValue = "3", paramLabel = "N",
      description = "Runs of each whole-process measurement, new and old interleaved; medians are reported (default: ${DEFAULT-VALUE}).")
  int repeat;

  @Option(names = "--out", paramLabel = "FILE",
      description = "Where the JSON results go (default: bench-results.json in the current directory).")
  Path out;

  @Option(names = "--only", split = ",", paramLabel = "LIST",
      description = "Run only these measurements: latency, catchup, rollover, idle, sustain, day (default: all).")
  List<String> only;

  @Option(names = "--agent-jvm-option", paramLabel = "OPTION",
      description = "A JVM option for the agent child, repeatable; any -Xmx keeps `run` from giving itself the"
          + " service settings (default: none, plain `java -jar`, as the README starts it).")
  List<String> agentJvmOptions = new ArrayList<>();

  @Option(names = "--jar", paramLabel = "PATH",
      description = "The heartbeat-ingester jar the children run (default: the one this benchmark runs with,"
          + " heartbeat-ingester.jar beside its own jar).")
  Path jar;

  private final Results results = new Results();
  private Set<String> selected;
  private Path javaExe;
  private Bench bench;

  /**
   * Runs the benchmark; exits 0 when every measurement ran (whether it met its goal or not), 1 when one
   * could not run, 2 on a bad command line.
   */
  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new BenchCommand());
    // One line, as the product's commands answer: the message, not a stack trace or the whole usage.
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      return 1;
    });
    cli.setParameterExceptionHandler((e, parsed) -> {
      e.getCommandLine().getErr().println("error: " + e.getMessage() + " (see --help)");
      return 2;
    });
    System.exit(cli.execute(args));
  }

  @Override
  public Integer call() throws Exception {
    validate();
    javaExe = Path.of(System.getProperty("java.home"), "bin", "java");
    jar = (jar == null ? productJar() : jar).toAbsolutePath();
    boolean created = prepareWork();
    Path resultsFile = out == null ? Path.of("bench-results.json") : out;
    try {
      Machine.describe(bench);
      runSelected();
    } finally {
      results.print(System.out);
      results.write(resultsFile);
      System.out.println();
      System.out.println("results: " + resultsFile.toAbsolutePath());
      if (keep || !created) {
        System.out.println("work folder kept: " + work);
      } else {
        deleteTree(work);
      }
    }
    return results.anyFailed() ? 1 : 0;
  }

  private void validate() {
    selected = new LinkedHashSet<>(only == null ? List.of("latency", "catchup", "rollover", "idle", "sustain", "day") : only);
    for (String m : selected) {
      if (!MEASUREMENTS.contains(m)) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--only: expected some of " + MEASUREMENTS + ", found '" + m + "'");
      }
    }
    require(days >= 2, "--days", days, "must be at least 2 (one day is rolled over with the others staged)");
    require(latencyReports >= 1, "--latency-reports", latencyReports, "must be at least 1");
    require(latencyRate > 0 && latencyRate <= 1000, "--latency-rate", latencyRate, "must be above 0 and at most 1000");
    require(sustainSeconds >= 2, "--sustain-seconds", sustainSeconds, "must be at least 2");
    require(sustainRate >= 1 && sustainRate <= 1000, "--sustain-rate", sustainRate, "must be between 1 and 1000");
    require(idleSeconds >= 1, "--idle-seconds", idleSeconds, "must be at least 1");
    require(repeat >= 1, "--repeat", repeat, "must be at least 1");
    require(dayInterval >= 10, "--day-interval", dayInterval, "must be at least 10 (the config's minimum)");
    require(daySettleSeconds >= 0, "--day-settle-seconds", daySettleSeconds, "must be at least 0");
    require(daySeconds >= dayInterval && daySeconds % dayInterval == 0 && daySeconds % 60 == 0, "--day-seconds",
        daySeconds, "must be a multiple of --day-interval (" + dayInterval + ") and of 60: whole cycles of every task");
  }

  private void require(boolean ok, String option, Object value, String rule) {
    if (!ok) {
      throw new CommandLine.ParameterException(spec.commandLine(), option + " " + value + ": " + rule);
    }
  }

  /** {@code --version}: which product jar the children run by default, so a user sees what is measured. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws URISyntaxException {
      return new String[] {"heartbeat-ingester-bench; children run " + productJar()};
    }
  }

  /** The product jar this JVM loaded the agent's classes from (the bench jar's manifest names it). */
  private static Path productJar() throws URISyntaxException {
    Path product = Bench.codeSource(Main.class);
    if (!Files.isRegularFile(product)) {
      throw new IllegalStateException("the product is not a jar here (" + product + "); build it with "
          + "`mvn -DskipTests package` and pass --jar target/heartbeat-ingester.jar");
    }
    return product;
  }

  /** Returns whether the folder is ours to delete. */
  private boolean prepareWork() throws IOException {
    boolean created;
    if (work == null) {
      Path tmp = Path.of(System.getenv().getOrDefault("TMPDIR", "/tmp"));
      work = Files.createTempDirectory(tmp, "heartbeat-bench-");
      created = true;
    } else {
      if (Files.exists(work)) {
        try (Stream<Path> entries = Files.list(work)) {
          if (entries.findAny().isPresent()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--work " + work + ": expected an empty or new folder, found files in it");
          }
        }
      }
      Files.createDirectories(work);
      created = true;
    }
    work = work.toAbsolutePath();
    Path logs = Files.createDirectories(work.resolve("logs"));
    Path config = work.resolve("bench-config.json");
    // UTC makes days deterministic; retention 0 keeps every staged day, so "365 days staged" holds.
    Files.writeString(config, "{\"zone\": \"UTC\", \"retentionDays\": 0}\n");
    LocalDate latest = LocalDate.now(ZoneOffset.UTC).minusDays(days + 2L);
    Corpus.Spec corpus =
        new Corpus.Spec(latest.isBefore(LATEST_FIRST_DAY) ? latest : LATEST_FIRST_DAY, days, Bench.SEED);
    bench = new Bench(new Bench.Setup(work, logs, config, javaExe, jar, agentJvmOptions, repeat, corpus), results);
    return created;
  }

  // ---------------------------------------------------------------- the run

  private void runSelected() throws Exception {
    ObjectNode run = results.section("run");
    run.put("started", Instant.now().toString());
    run.put("jar", jar.toString());
    run.put("work", work.toString());
    run.put("repeat", repeat);
    run.putPOJO("measurements", selected);
    if (!bench.attempt("corpus", bench::prepareYear)) {
      return;
    }
    // The first JVM after a build reads the 90 MB jar from disk; no measured run should pay for that.
    bench.attempt("warm-up",
        () -> bench.stage(Files.createDirectories(work.resolve("warmup/g/reports")).getParent().getParent(), "warmup"));
    if (selected.contains("catchup")) {
      bench.attempt("catch-up", new CatchupBench(bench)::run);
    } else {
      bench.attempt("catch-up (setup)", () -> bench.stage(bench.yearRoot, "setup-catchup-year"));
    }
    RolloverBench rollover = new RolloverBench(bench);
    if (selected.contains("rollover")) {
      bench.attempt("rollover, whole process", rollover::wholeProcess);
      bench.attempt("rollover in the agent, 1 day staged", rollover::inAgentOneDay);
    }
    if (selected.stream().anyMatch(m -> Set.of("rollover", "idle", "latency", "sustain").contains(m))) {
      // Before the agent on the year: its latency and sustain runs add reports to the tree.
      if (selected.contains("day")) {
        bench.attempt("day in the life", () -> DayInTheLife.run(bench, daySeconds, daySettleSeconds, dayInterval));
      }
      AgentBench.Options options =
          new AgentBench.Options(idleSeconds, latencyReports, latencyRate, sustainSeconds, sustainRate);
      bench.attempt("agent on the year", () -> new AgentBench(bench, options, rollover).run(selected));
    } else if (selected.contains("day")) {
      bench.attempt("day in the life", () -> DayInTheLife.run(bench, daySeconds, daySettleSeconds, dayInterval));
    }
    run.put("finished", Instant.now().toString());
    run.put("loadAverageAtEnd", Machine.loadAverage());
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
