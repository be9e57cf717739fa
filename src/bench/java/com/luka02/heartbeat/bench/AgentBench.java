package com.luka02.heartbeat.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * The measurements of one agent on the staged year: its start, idle cost, the rollover in the agent,
 * write-to-row latency and sustained ingest, in that order (the last two add reports to the tree).
 */
final class AgentBench {
  /** Under sustained ingest, RSS counts as flat when it grows no faster than this. */
  private static final double FLAT_MB_PER_MIN = 2.0;

  /** The options of these measurements. */
  record Options(int idleSeconds, int latencyReports, double latencyRate, int sustainSeconds, int sustainRate) {}

  private final Bench bench;
  private final Results results;
  private final Options options;
  private final RolloverBench rollover;

  AgentBench(Bench bench, Options options, RolloverBench rollover) {
    this.bench = bench;
    this.results = bench.results;
    this.options = options;
    this.rollover = rollover;
  }

  void run(Set<String> selected) throws Exception {
    try (AgentChild agent = bench.startAgent("agent-year", bench.yearRoot)) {
      bench.settle(agent, "agentYear");
      if (selected.contains("idle")) {
        bench.attempt("agent idle", () -> idle(agent));
      }
      if (selected.contains("rollover")) {
        bench.attempt("rollover in the agent, all days staged", () -> rollover.inAgentYear(agent));
      }
      LiveIngest live = new LiveIngest(agent, bench.yearRoot.resolve("g/reports/ops_atomic"), Bench.SEED + 1);
      if (selected.contains("latency")) {
        bench.attempt("latency", () -> latency(live));
      }
      if (selected.contains("sustain")) {
        bench.attempt("sustained ingest", () -> sustain(live));
      }
      results.section("agentYear").put("exitCode", agent.stop());
    }
  }

  private void idle(AgentChild agent) throws InterruptedException {
    int idleSeconds = options.idleSeconds();
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
    ObjectNode l = live.latency(options.latencyReports(), options.latencyRate());
    results.json().set("latency", l);
    double p99 = l.get("p99Ms").asDouble();
    int missing = l.get("missing").asInt();
    results.row("latency, last write -> row visible (%d @ %s/s): p50 / p95 / p99 / max"
            .formatted(options.latencyReports(), trim(options.latencyRate())),
        "%.0f / %.0f / %.0f / %.0f ms%s".formatted(l.get("p50Ms").asDouble(), l.get("p95Ms").asDouble(), p99,
            l.get("maxMs").asDouble(), missing == 0 ? "" : " (" + missing + " never visible)"),
        "p99 <= 1000 ms", p99 <= 1000 && missing == 0);
  }

  private void sustain(LiveIngest live) throws Exception {
    int rate = options.sustainRate();
    ObjectNode s = live.sustain(options.sustainSeconds(), rate);
    results.json().set("sustain", s);
    double half = s.get("rssHalfMb").asDouble();
    double slope = s.get("rssSlopeSecondHalfMbPerMin").asDouble();
    boolean flat = slope <= FLAT_MB_PER_MIN && s.get("visible").asLong() >= s.get("reports").asLong();
    s.put("flatRule", "least-squares RSS slope over the second half at most " + FLAT_MB_PER_MIN
        + " MB/min, and every report becomes a row");
    results.row("sustained %d/s for %d s: RSS start / half / end".formatted(rate, options.sustainSeconds()),
        "%.0f / %.0f / %.0f MB (max %.0f; second half %+.1f MB/min)".formatted(s.get("rssStartMb").asDouble(), half,
            s.get("rssEndMb").asDouble(), s.get("rssMaxMb").asDouble(), slope),
        "flat (<= " + FLAT_MB_PER_MIN + " MB/min)", flat);
    // Judged on the trend: a flat agent's RSS wanders by 1-3 % within a minute, so two single samples
    // can read more than 2 % either way; they are shown, with the two minutes' medians.
    double trend = s.get("rssLastThirdTrendPercent").asDouble();
    results.row("sustained: RSS growth over the last third (least-squares trend)", "%+.1f%% (%+.2f MB/min)"
        .formatted(trend, s.get("rssLastThirdSlopeMbPerMin").asDouble()), "<= 2%", trend <= 2.0);
    results.row("sustained: the same from its first and last minute's medians / from two samples",
        "%+.1f%% (%.0f -> %.0f MB) / %+.1f%% (%.0f -> %.0f MB)".formatted(
            s.get("rssLastThirdMedianGrowthPercent").asDouble(), s.get("rssLastThirdMedianStartMb").asDouble(),
            s.get("rssLastThirdMedianEndMb").asDouble(), s.get("rssLastThirdGrowthPercent").asDouble(),
            s.get("rssLastThirdStartMb").asDouble(), s.get("rssEndMb").asDouble()));
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

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
