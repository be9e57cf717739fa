package com.luka02.heartbeat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.luka02.heartbeat.cli.Main;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  private static final long SEED = 20251027L;
  private static final LocalDate LATEST_FIRST_DAY = LocalDate.of(2024, 11, 1);
  private static final int AGENT_ROLLOVERS = 5;
  /** Whole-process rollovers are short and noisy: at least this many runs of each. */
  private static final int MIN_ROLLOVER_RUNS = 5;
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration AGENT_START_TIMEOUT = Duration.ofMinutes(10);
  /** Under sustained ingest, RSS counts as flat when it grows no faster than this. */
  private static final double FLAT_MB_PER_MIN = 2.0;
  private static final Pattern SCANNED = Pattern.compile("scanned (\\d+)");
  private static final Pattern OLD_ROWS = Pattern.compile("old exporter: (\\d+) rows");

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
  private Path logs;
  private Path config;
  private Corpus.Spec corpus;
  private Corpus.Stats yearStats;
  private Path yearRoot;
  private Path dayRoot;
  private final List<Measure.Run> oldYearRuns = new ArrayList<>();

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
      describeMachine();
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
    require(daySeconds >= dayInterval && daySeconds % dayInterval == 0 && daySeconds % 30 == 0, "--day-seconds",
        daySeconds, "must be a multiple of --day-interval (" + dayInterval + ") and of 30: whole cycles of every task");
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
    Path product = codeSource(Main.class);
    if (!Files.isRegularFile(product)) {
      throw new IllegalStateException("the product is not a jar here (" + product + "); build it with "
          + "`mvn -DskipTests package` and pass --jar target/heartbeat-ingester.jar");
    }
    return product;
  }

  private static Path codeSource(Class<?> c) throws URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
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
    logs = Files.createDirectories(work.resolve("logs"));
    config = work.resolve("bench-config.json");
    // UTC makes days deterministic; retention 0 keeps every staged day, so "365 days staged" holds.
    Files.writeString(config, "{\"zone\": \"UTC\", \"retentionDays\": 0}\n");
    LocalDate latest = LocalDate.now(ZoneOffset.UTC).minusDays(days + 2L);
    corpus = new Corpus.Spec(latest.isBefore(LATEST_FIRST_DAY) ? latest : LATEST_FIRST_DAY, days, SEED);
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
    if (!attempt("corpus", this::prepareYear)) {
      return;
    }
    // The first JVM after a build reads the 90 MB jar from disk; no measured run should pay for that.
    attempt("warm-up", () -> stage(Files.createDirectories(work.resolve("warmup/g/reports")).getParent().getParent(), "warmup"));
    if (selected.contains("catchup")) {
      attempt("catch-up", this::catchup);
    } else {
      attempt("catch-up (setup)", () -> stage(yearRoot, "setup-catchup-year"));
    }
    if (selected.contains("rollover")) {
      attempt("rollover, whole process", this::rolloverWholeProcess);
      attempt("rollover in the agent, 1 day staged", this::rolloverInAgentOneDay);
    }
    if (selected.stream().anyMatch(m -> Set.of("rollover", "idle", "latency", "sustain").contains(m))) {
      // Before the agent on the year: its latency and sustain runs add reports to the tree.
      if (selected.contains("day")) {
        attempt("day in the life", this::dayInTheLife);
      }
      attempt("agent on the year", this::agentOnYear);
    } else if (selected.contains("day")) {
      attempt("day in the life", this::dayInTheLife);
    }
    run.put("finished", Instant.now().toString());
    run.put("loadAverageAtEnd", loadAverage());
  }

  interface Step {
    void run() throws Exception;
  }

  private boolean attempt(String what, Step step) {
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

  private void prepareYear() throws IOException {
    yearRoot = Files.createDirectories(work.resolve("year"));
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

  private LocalDate rolloverDay() {
    return corpus.day(corpus.days() / 2);
  }

  // ---------------------------------------------------------------- catch-up

  private void catchup() throws Exception {
    List<Measure.Run> cold = new ArrayList<>();
    for (int i = 0; i < repeat; i++) {
      deleteStore(yearRoot);
      cold.add(cli("catchup-cold-" + i, yearRoot, "catchup").requireSuccess());
      oldYearRuns.add(oldExporter("old-year-" + i, yearRoot, work.resolve("old/year.parquet")));
    }
    long rows = count(yearRoot, "SELECT count(*) FROM heartbeats");
    if (rows != yearStats.reports()) {
      throw new IllegalStateException("catch-up staged " + rows + " rows, expected " + yearStats.reports());
    }
    List<Measure.Run> warm = new ArrayList<>();
    for (int i = 0; i < repeat; i++) {
      warm.add(cli("catchup-warm-" + i, yearRoot, "catchup").requireSuccess());
    }
    long scanned = scanned(cold.get(0));
    long coldMs = medianOf(cold, Measure.Run::wallMs);
    long warmMs = medianOf(warm, Measure.Run::wallMs);
    long oldMs = medianOf(oldYearRuns, Measure.Run::wallMs);
    ObjectNode s = results.section("catchup");
    s.put("reports", yearStats.reports());
    s.put("files", scanned);
    s.put("rowsStaged", rows);
    s.set("cold", runs(cold));
    s.set("warm", runs(warm));
    s.set("oldExporter", runs(oldYearRuns));
    s.put("coldOverOld", (double) coldMs / oldMs);
    String y = "catch-up of %,d reports".formatted(yearStats.reports());
    results.row(y + ", cold: wall", Results.ms(coldMs) + " (%,.0f files/s)".formatted(scanned * 1000.0 / coldMs),
        "<= 4 s", coldMs <= 4000);
    results.row(y + ", cold: peak RSS", Results.mb(medianOf(cold, Measure.Run::peakRssKb)));
    results.row("old exporter, same corpus: wall", Results.ms(oldMs) + " (%d rows)".formatted(oldRows(oldYearRuns.get(0))));
    results.row("old exporter, same corpus: peak RSS", Results.mb(medianOf(oldYearRuns, Measure.Run::peakRssKb)));
    results.row("catch-up cold / old exporter", "%.2f".formatted((double) coldMs / oldMs), "<= 1.00", coldMs <= oldMs);
    results.row(y + ", warm: wall", Results.ms(warmMs) + " (%,.0f files/s)".formatted(scanned * 1000.0 / warmMs),
        "<= 1.5 s", warmMs <= 1500);
    results.row(y + ", warm: peak RSS", Results.mb(medianOf(warm, Measure.Run::peakRssKb)));
  }

  /** Stages a root without measuring it: the setup other measurements need. */
  private void stage(Path root, String name) throws Exception {
    Measure.Run r = cli(name, root, "catchup").requireSuccess();
    results.section("setup").put(name + "Ms", r.wallMs());
  }

  // ---------------------------------------------------------------- rollover

  private void rolloverWholeProcess() throws Exception {
    LocalDate day = rolloverDay();
    dayRoot = Files.createDirectories(work.resolve("day"));
    int mid = corpus.days() / 2;
    Corpus.Stats one = Corpus.write(dayRoot, corpus, i -> i == mid);
    stage(dayRoot, "setup-catchup-day");
    List<Measure.Run> oneDay = new ArrayList<>();
    List<Measure.Run> oldOneDay = new ArrayList<>();
    int runs = Math.max(repeat, MIN_ROLLOVER_RUNS);
    for (int i = 0; i < runs; i++) {
      oneDay.add(cli("rollover-1day-" + i, dayRoot, "rollover", "--date", day.toString()).requireSuccess());
      oldOneDay.add(oldExporter("old-1day-" + i, dayRoot, work.resolve("old/day.parquet")));
    }
    List<Measure.Run> year = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      year.add(cli("rollover-365days-" + i, yearRoot, "rollover", "--date", day.toString()).requireSuccess());
      if (oldYearRuns.size() < repeat) {
        oldYearRuns.add(oldExporter("old-year-" + oldYearRuns.size(), yearRoot, work.resolve("old/year.parquet")));
      }
    }
    long oneMs = medianOf(oneDay, Measure.Run::wallMs);
    long yearMs = medianOf(year, Measure.Run::wallMs);
    long oldOneMs = medianOf(oldOneDay, Measure.Run::wallMs);
    long oldYearMs = medianOf(oldYearRuns, Measure.Run::wallMs);
    ObjectNode s = results.section("rollover");
    s.put("day", day.toString());
    s.put("daysStagedInYear", corpus.days());
    s.put("rowsOfDay", one.reports());
    ObjectNode whole = s.putObject("wholeProcess");
    whole.set("oneDayStaged", runs(oneDay));
    whole.set("allDaysStaged", runs(year));
    whole.put("ratio", (double) yearMs / oneMs);
    ObjectNode old = s.putObject("oldExporter");
    old.set("oneDay", runs(oldOneDay));
    old.set("allDays", runs(oldYearRuns));
    String d = "rollover of one day (%s), whole process".formatted(day);
    results.row(d + ", 1 day staged", Results.ms(oneMs) + ", peak RSS " + Results.mb(medianOf(oneDay, Measure.Run::peakRssKb)));
    results.row(d + ", %d days staged".formatted(corpus.days()),
        Results.ms(yearMs) + ", peak RSS " + Results.mb(medianOf(year, Measure.Run::peakRssKb)));
    results.row("  ratio %d days / 1 day staged (whole process)".formatted(corpus.days()),
        "%.2f".formatted((double) yearMs / oneMs), "<= 1.5", yearMs <= 1.5 * oneMs);
    results.row("old exporter full rewrite, 1 day", Results.ms(oldOneMs)
        + " (rollover / old = %.2f)".formatted((double) oneMs / oldOneMs));
    results.row("old exporter full rewrite, %d days".formatted(corpus.days()), Results.ms(oldYearMs)
        + " (rollover / old = %.2f)".formatted((double) yearMs / oldYearMs));
  }

  private void rolloverInAgentOneDay() throws Exception {
    try (AgentChild agent = startAgent("agent-day", dayRoot)) {
      settle(agent, "agentDay");
      ObjectNode r = rolloversInAgent(agent);
      results.section("rollover").set("inAgentOneDayStaged", r);
      r.put("agentExit", agent.stop());
    }
  }

  /**
   * Re-exports the rollover day {@link #AGENT_ROLLOVERS} times through the agent's HTTP API, after as
   * many untimed ones, so that both agents are compared with warm code whatever they did before.
   */
  private ObjectNode rolloversInAgent(AgentChild agent) throws Exception {
    for (int i = 0; i < AGENT_ROLLOVERS; i++) {
      agent.post("/rollover?date=" + rolloverDay());
    }
    ObjectNode out = results.json().objectNode();
    ArrayNode samples = out.putArray("samples");
    long[] agentMs = new long[AGENT_ROLLOVERS];
    long[] httpMs = new long[AGENT_ROLLOVERS];
    for (int i = 0; i < AGENT_ROLLOVERS; i++) {
      long start = System.nanoTime();
      JsonNode report = agent.post("/rollover?date=" + rolloverDay());
      httpMs[i] = (System.nanoTime() - start) / 1_000_000;
      JsonNode day = report.path("days").path(0);
      if (!day.path("error").isNull() && !day.path("error").isMissingNode()) {
        throw new IllegalStateException("rollover of " + rolloverDay() + " failed in the agent: " + day.path("error").asText());
      }
      agentMs[i] = day.path("durationMs").asLong();
      samples.addObject().put("agentMs", agentMs[i]).put("httpMs", httpMs[i]).put("rows", day.path("rows").asLong());
    }
    out.put("agentMsMedian", Results.median(agentMs));
    out.put("httpMsMedian", Results.median(httpMs));
    return out;
  }

  // ---------------------------------------------------------------- the agent on the year

  private void agentOnYear() throws Exception {
    try (AgentChild agent = startAgent("agent-year", yearRoot)) {
      settle(agent, "agentYear");
      if (selected.contains("idle")) {
        attempt("agent idle", () -> idle(agent));
      }
      if (selected.contains("rollover")) {
        attempt("rollover in the agent, all days staged", () -> rolloverInAgentYear(agent));
      }
      LiveIngest live = new LiveIngest(agent, yearRoot.resolve("g/reports/ops_atomic"), SEED + 1);
      if (selected.contains("latency")) {
        attempt("latency", () -> latency(live));
      }
      if (selected.contains("sustain")) {
        attempt("sustained ingest", () -> sustain(live));
      }
      results.section("agentYear").put("exitCode", agent.stop());
    }
  }

  private void dayInTheLife() throws Exception {
    Path dayConfig = DayInTheLife.config(work, dayInterval);
    Path oneDay = Files.createDirectories(work.resolve("one-day"));
    int last = corpus.days() - 1;
    Corpus.write(oneDay, corpus, i -> i == last);
    DayInTheLife.freshen(oneDay, corpus.day(last));
    DayInTheLife.freshen(yearRoot, corpus.day(last));
    DayInTheLife d = new DayInTheLife(daySeconds, dayInterval, (name, root, c) -> {
      List<String> cmd = new ArrayList<>(List.of(javaExe.toString(), "-jar", jar.toString(), "--root", root.toString(),
          "--config", c.toString(), "run", "--port", "0"));
      cmd.addAll(1, agentJvmOptions);
      return AgentChild.start(name, cmd, root, root.resolve("g/state/agent.json"), logs, AGENT_START_TIMEOUT);
    }, (name, root) -> oldExporter(name, root, work.resolve("old/" + name + ".parquet")));
    d.report(List.of(d.measure("1 day", oneDay, dayConfig, corpus.day(last)),
        d.measure(corpus.days() + " days", yearRoot, dayConfig, rolloverDay())), results);
  }

  private AgentChild startAgent(String name, Path root) throws Exception {
    List<String> cmd = command(root, "run", "--port", "0");
    cmd.addAll(1, agentJvmOptions);
    return AgentChild.start(name, cmd, root, root.resolve("g/state/agent.json"), logs, AGENT_START_TIMEOUT);
  }

  /**
   * Waits until the agent's start-up work is done: the writer thread runs the first rollover tick
   * (every due day not yet exported) before any request queued after it.
   */
  private void settle(AgentChild agent, String section) throws Exception {
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

  private void rolloverInAgentYear(AgentChild agent) {
    ObjectNode year;
    try {
      year = rolloversInAgent(agent);
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    ObjectNode s = results.section("rollover");
    s.set("inAgentAllDaysStaged", year);
    JsonNode one = s.get("inAgentOneDayStaged");
    long yearMs = year.get("agentMsMedian").asLong();
    String d = "rollover of one day (%s), in the agent".formatted(rolloverDay());
    long yearHttp = year.get("httpMsMedian").asLong();
    String yearRow = d + ", %d days staged".formatted(corpus.days());
    String figures = "%d ms agent durationMs, %d ms HTTP round trip";
    if (one == null) {
      results.row(yearRow, figures.formatted(yearMs, yearHttp));
    } else {
      long oneMs = one.get("agentMsMedian").asLong();
      long oneHttp = one.get("httpMsMedian").asLong();
      results.row(d + ", 1 day staged", figures.formatted(oneMs, oneHttp));
      results.row(yearRow, figures.formatted(yearMs, yearHttp));
      double ratio = (double) yearMs / Math.max(1, oneMs);
      double httpRatio = (double) yearHttp / Math.max(1, oneHttp);
      s.put("inAgentRatio", ratio);
      s.put("inAgentHttpRatio", httpRatio);
      results.row("  ratio %d days / 1 day staged (agent durationMs)".formatted(corpus.days()), "%.2f".formatted(ratio),
          "<= 1.5", ratio <= 1.5);
      results.row("  ratio %d days / 1 day staged (HTTP round trip)".formatted(corpus.days()), "%.2f".formatted(httpRatio),
          "<= 1.5", httpRatio <= 1.5);
    }
  }

  private void idle(AgentChild agent) throws InterruptedException {
    results.section("idle").set("duckdbMemoryStartMb", agent.duckdbMemoryMb());
    Measure.ProcSample first = agent.sample();
    long maxRss = first.rssKb();
    long end = System.nanoTime() + idleSeconds * 1_000_000_000L;
    while (System.nanoTime() < end) {
      Thread.sleep(Math.min(1000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
      maxRss = Math.max(maxRss, agent.sample().rssKb());
    }
    Measure.ProcSample last = agent.sample();
    double cpu = 100.0 * (last.cpuMs() - first.cpuMs()) / (idleSeconds * 1000.0);
    ObjectNode s = results.section("idle");
    s.set("duckdbMemoryEndMb", agent.duckdbMemoryMb());
    s.put("seconds", idleSeconds);
    s.put("rssStartMb", first.rssKb() / 1024.0);
    s.put("rssEndMb", last.rssKb() / 1024.0);
    s.put("rssMaxMb", maxRss / 1024.0);
    s.put("peakRssSinceStartMb", last.hwmKb() / 1024.0);
    s.put("cpuMs", last.cpuMs() - first.cpuMs());
    s.put("cpuPercent", cpu);
    results.row("agent idle %d s (year staged): RSS".formatted(idleSeconds),
        Results.mb(last.rssKb()) + " (max " + Results.mb(maxRss) + ", peak since start " + Results.mb(last.hwmKb()) + ")",
        "<= 200 MB", maxRss <= 200 * 1024);
    results.row("agent idle %d s: CPU".formatted(idleSeconds),
        "%.2f%% of one core (%d ms)".formatted(cpu, last.cpuMs() - first.cpuMs()));
  }

  private void latency(LiveIngest live) throws Exception {
    ObjectNode l = live.latency(latencyReports, latencyRate);
    results.json().set("latency", l);
    double p99 = l.get("p99Ms").asDouble();
    int missing = l.get("missing").asInt();
    results.row("latency, last write -> row visible (%d @ %s/s): p50 / p95 / p99 / max"
            .formatted(latencyReports, trim(latencyRate)),
        "%.0f / %.0f / %.0f / %.0f ms%s".formatted(l.get("p50Ms").asDouble(), l.get("p95Ms").asDouble(), p99,
            l.get("maxMs").asDouble(), missing == 0 ? "" : " (" + missing + " never visible)"),
        "p99 <= 1000 ms", p99 <= 1000 && missing == 0);
  }

  private void sustain(LiveIngest live) throws Exception {
    ObjectNode s = live.sustain(sustainSeconds, sustainRate);
    results.json().set("sustain", s);
    double half = s.get("rssHalfMb").asDouble();
    double slope = s.get("rssSlopeSecondHalfMbPerMin").asDouble();
    boolean flat = slope <= FLAT_MB_PER_MIN && s.get("visible").asLong() >= s.get("reports").asLong();
    s.put("flatRule", "least-squares RSS slope over the second half at most " + FLAT_MB_PER_MIN
        + " MB/min, and every report becomes a row");
    results.row("sustained %d/s for %d s: RSS start / half / end".formatted(sustainRate, sustainSeconds),
        "%.0f / %.0f / %.0f MB (max %.0f; second half %+.1f MB/min)".formatted(s.get("rssStartMb").asDouble(), half,
            s.get("rssEndMb").asDouble(), s.get("rssMaxMb").asDouble(), slope),
        "flat (<= " + FLAT_MB_PER_MIN + " MB/min)", flat);
    double third = s.get("rssLastThirdGrowthPercent").asDouble();
    results.row("sustained: RSS growth over the last third", "%+.1f%% (%.0f -> %.0f MB)".formatted(third,
        s.get("rssLastThirdStartMb").asDouble(), s.get("rssEndMb").asDouble()), "<= 2%", third <= 2.0);
    long dups = s.get("duplicates").asLong();
    results.row("sustained: staged / written, duplicates", "%d / %d, %d".formatted(s.get("staged").asLong(),
        s.get("reports").asLong(), dups), "all, 0", s.get("staged").asLong() >= s.get("reports").asLong() && dups == 0);
    results.row("sustained: DuckDB in-memory tables (duckdb_memory())", "%.0f MB -> %.0f MB".formatted(
        s.path("duckdbMemoryStartMb").path("IN_MEMORY_TABLE").asDouble(),
        s.path("duckdbMemoryEndMb").path("IN_MEMORY_TABLE").asDouble()));
    results.row("sustained: CPU, backlog, drain",
        "%.0f%% of one core, max backlog %d reports, all rows %d ms after the last write".formatted(
            s.get("cpuPercent").asDouble(), s.get("maxBacklog").asLong(), s.get("drainMs").asLong()));
  }

  // ---------------------------------------------------------------- children

  private List<String> command(Path root, String... args) {
    List<String> cmd = new ArrayList<>(List.of(javaExe.toString(), "-jar", jar.toString(),
        "--root", root.toString(), "--config", config.toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private Measure.Run cli(String name, Path root, String... args) throws Exception {
    Measure.Run r = Measure.run(name, command(root, args), root, logs, RUN_TIMEOUT);
    System.err.printf("bench:   %-22s %6d ms  peak RSS %5.0f MB  %s%n", name, r.wallMs(), r.peakRssKb() / 1024.0,
        firstLine(r.output()));
    return r;
  }

  private Measure.Run oldExporter(String name, Path root, Path parquet) throws Exception {
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

  private long count(Path root, String sql) throws Exception {
    Measure.Run r = cli("query-" + root.getFileName(), root, "query", sql, "--format", "csv").requireSuccess();
    String[] lines = r.output().split("\n");
    return Long.parseLong(lines[lines.length - 1].trim());
  }

  private static void deleteStore(Path root) throws IOException {
    Path state = root.resolve("g/state");
    for (String f : List.of("staging.duckdb", "staging.duckdb.wal")) {
      Files.deleteIfExists(state.resolve(f));
    }
  }

  private static long scanned(Measure.Run r) {
    Matcher m = SCANNED.matcher(r.output());
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  private static long oldRows(Measure.Run r) {
    Matcher m = OLD_ROWS.matcher(r.output());
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  private static long medianOf(List<Measure.Run> runs, ToLongFunction<Measure.Run> f) {
    return Results.median(runs.stream().mapToLong(f).toArray());
  }

  private ArrayNode runs(List<Measure.Run> runs) {
    ArrayNode a = results.json().arrayNode();
    for (Measure.Run r : runs) {
      a.addObject().put("name", r.name()).put("wallMs", r.wallMs()).put("peakRssMb", r.peakRssKb() / 1024.0)
          .put("cpuMs", r.cpuMs()).put("output", firstLine(r.output()));
    }
    return a;
  }

  // ---------------------------------------------------------------- machine

  private void describeMachine() throws Exception {
    ObjectNode m = results.section("machine");
    int nproc = Runtime.getRuntime().availableProcessors();
    String cpu = firstValue(Path.of("/proc/cpuinfo"), "model name");
    String memKb = firstValue(Path.of("/proc/meminfo"), "MemTotal").replace("kB", "").trim();
    double memGib = memKb.isEmpty() ? 0 : Long.parseLong(memKb) / 1024.0 / 1024.0;
    Measure.Run v = Measure.run("java-version", List.of(javaExe.toString(), "-version"), work, logs, Duration.ofMinutes(1));
    String javaVersion = Files.readString(v.stderr(), StandardCharsets.UTF_8).strip();
    String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
    String fs = Files.getFileStore(work).type();
    m.put("nproc", nproc);
    m.put("cpu", cpu);
    m.put("memoryGiB", memGib);
    m.put("java", javaVersion);
    m.put("os", os);
    m.put("filesystem", fs);
    m.put("loadAverageAtStart", loadAverage());
    results.header("heartbeat-ingester bench, " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
    results.header("machine: %d × %s, %.1f GiB, %s, work on %s".formatted(nproc, cpu, memGib, os, fs));
    results.header("java:    " + javaVersion.replace('\n', ';'));
    results.header("load:    " + loadAverage() + " (/proc/loadavg at start; anything else running skews every figure)");
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  private static String firstValue(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(key)) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
    return "unknown";
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
