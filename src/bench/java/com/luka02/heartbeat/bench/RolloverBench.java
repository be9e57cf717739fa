package com.luka02.heartbeat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The rollover measurements: one day exported with one day and with the whole year staged, as a whole
 * process ({@code rollover}) and in the running agent, beside the old exporter's full rewrite.
 */
final class RolloverBench {
  private static final int AGENT_ROLLOVERS = 5;
  /** Whole-process rollovers are short and noisy: at least this many runs of each. */
  private static final int MIN_ROLLOVER_RUNS = 5;

  /** The runs of one whole-process comparison. */
  private record WholeRuns(List<Measure.Run> oneDay, List<Measure.Run> oldOneDay, List<Measure.Run> year) {}

  private final Bench bench;
  private final Results results;
  private Path dayRoot;

  RolloverBench(Bench bench) {
    this.bench = bench;
    this.results = bench.results;
  }

  // ---------------------------------------------------------------- whole process

  void wholeProcess() throws Exception {
    LocalDate day = bench.rolloverDay();
    dayRoot = Files.createDirectories(bench.work.resolve("day"));
    int mid = bench.corpus.days() / 2;
    Corpus.Stats one = Corpus.write(dayRoot, bench.corpus, i -> i == mid);
    bench.stage(dayRoot, "setup-catchup-day");
    int runs = Math.max(bench.repeat, MIN_ROLLOVER_RUNS);
    WholeRuns r = new WholeRuns(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (int i = 0; i < runs; i++) {
      r.oneDay().add(bench.cli("rollover-1day-" + i, dayRoot, "rollover", "--date", day.toString()).requireSuccess());
      r.oldOneDay().add(bench.oldExporter("old-1day-" + i, dayRoot, bench.work.resolve("old/day.parquet")));
    }
    for (int i = 0; i < runs; i++) {
      r.year().add(bench.cli("rollover-365days-" + i, bench.yearRoot, "rollover", "--date", day.toString())
          .requireSuccess());
      if (bench.oldYearRuns.size() < bench.repeat) {
        bench.oldYearRuns.add(bench.oldExporter("old-year-" + bench.oldYearRuns.size(), bench.yearRoot,
            bench.work.resolve("old/year.parquet")));
      }
    }
    reportWholeProcess(day, one, r);
  }

  private void reportWholeProcess(LocalDate day, Corpus.Stats one, WholeRuns r) {
    int days = bench.corpus.days();
    long oneMs = Bench.medianOf(r.oneDay(), Measure.Run::wallMs);
    long yearMs = Bench.medianOf(r.year(), Measure.Run::wallMs);
    long oldOneMs = Bench.medianOf(r.oldOneDay(), Measure.Run::wallMs);
    long oldYearMs = Bench.medianOf(bench.oldYearRuns, Measure.Run::wallMs);
    ObjectNode s = results.section("rollover");
    s.put("day", day.toString());
    s.put("daysStagedInYear", days);
    s.put("rowsOfDay", one.reports());
    ObjectNode whole = s.putObject("wholeProcess");
    whole.set("oneDayStaged", bench.runs(r.oneDay()));
    whole.set("allDaysStaged", bench.runs(r.year()));
    whole.put("ratio", (double) yearMs / oneMs);
    ObjectNode old = s.putObject("oldExporter");
    old.set("oneDay", bench.runs(r.oldOneDay()));
    old.set("allDays", bench.runs(bench.oldYearRuns));
    String d = "rollover of one day (%s), whole process".formatted(day);
    results.row(d + ", 1 day staged",
        Results.ms(oneMs) + ", peak RSS " + Results.mb(Bench.medianOf(r.oneDay(), Measure.Run::peakRssKb)));
    results.row(d + ", %d days staged".formatted(days),
        Results.ms(yearMs) + ", peak RSS " + Results.mb(Bench.medianOf(r.year(), Measure.Run::peakRssKb)));
    results.row("  ratio %d days / 1 day staged (whole process)".formatted(days),
        "%.2f".formatted((double) yearMs / oneMs), "<= 1.5", yearMs <= 1.5 * oneMs);
    results.row("old exporter full rewrite, 1 day", Results.ms(oldOneMs)
        + " (rollover / old = %.2f)".formatted((double) oneMs / oldOneMs));
    results.row("old exporter full rewrite, %d days".formatted(days), Results.ms(oldYearMs)
        + " (rollover / old = %.2f)".formatted((double) yearMs / oldYearMs));
  }

  // ---------------------------------------------------------------- in the agent

  /** The agent on the one-day tree that {@link #wholeProcess} wrote. */
  void inAgentOneDay() throws Exception {
    try (AgentChild agent = bench.startAgent("agent-day", dayRoot)) {
      bench.settle(agent, "agentDay");
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
    LocalDate rolloverDay = bench.rolloverDay();
    for (int i = 0; i < AGENT_ROLLOVERS; i++) {
      agent.post("/rollover?date=" + rolloverDay);
    }
    ObjectNode out = results.json().objectNode();
    ArrayNode samples = out.putArray("samples");
    long[] agentMs = new long[AGENT_ROLLOVERS];
    long[] httpMs = new long[AGENT_ROLLOVERS];
    for (int i = 0; i < AGENT_ROLLOVERS; i++) {
      long start = System.nanoTime();
      JsonNode report = agent.post("/rollover?date=" + rolloverDay);
      httpMs[i] = (System.nanoTime() - start) / 1_000_000;
      JsonNode day = report.path("days").path(0);
      if (!day.path("error").isNull() && !day.path("error").isMissingNode()) {
        throw new IllegalStateException("rollover of " + rolloverDay + " failed in the agent: " + day.path("error").asText());
      }
      agentMs[i] = day.path("durationMs").asLong();
      samples.addObject().put("agentMs", agentMs[i]).put("httpMs", httpMs[i]).put("rows", day.path("rows").asLong());
    }
    out.put("agentMsMedian", Results.median(agentMs));
    out.put("httpMsMedian", Results.median(httpMs));
    return out;
  }

  /** The agent on the year, compared with the one-day agent when that one ran. */
  void inAgentYear(AgentChild agent) {
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
    String d = "rollover of one day (%s), in the agent".formatted(bench.rolloverDay());
    long yearHttp = year.get("httpMsMedian").asLong();
    String yearRow = d + ", %d days staged".formatted(bench.corpus.days());
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
      results.row("  ratio %d days / 1 day staged (agent durationMs)".formatted(bench.corpus.days()),
          "%.2f".formatted(ratio), "<= 1.5", ratio <= 1.5);
      results.row("  ratio %d days / 1 day staged (HTTP round trip)".formatted(bench.corpus.days()),
          "%.2f".formatted(httpRatio), "<= 1.5", httpRatio <= 1.5);
    }
  }
}
