package com.luka02.heartbeat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.luka02.heartbeat.fixtures.ReportText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reports written into a watched tree while the agent runs, as the monitor writes them: in place,
 * in two chunks about 50 ms apart ({@link InPlaceWriter}). Measures how soon each becomes a row (latency), and what a
 * steady stream does to the agent's memory (sustained ingest).
 */
final class LiveIngest {
  static final Duration LATENCY_POLL = Duration.ofMillis(10);
  /** How long a report may take to appear before it counts as missing. */
  static final Duration VISIBLE_WITHIN = Duration.ofSeconds(30);
  static final Duration DRAIN_WITHIN = Duration.ofMinutes(2);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final AgentChild agent;
  private final Path dir;
  private final Random rnd;
  /**
   * Report timestamps one second apart, so names stay unique at any rate, starting two days back: a
   * soak writes a day's worth of seconds in 30 minutes at 50/s, and the agent refuses (quarantines)
   * a report dated more than a day ahead of its clock, which counted 1,826 reports as never staged.
   */
  private Instant nextStamp = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);

  LiveIngest(AgentChild agent, Path dir, long seed) {
    this.agent = agent;
    this.dir = dir;
    this.rnd = new Random(seed);
  }

  private InPlaceWriter.Report nextReport() {
    Instant ts = nextStamp.plusMillis(rnd.nextInt(1000));
    nextStamp = nextStamp.plusSeconds(1);
    Corpus.Kind kind = Corpus.Kind.pick(rnd);
    String text = CorpusText.render(ts, kind, 40 + rnd.nextInt(60), rnd.nextInt(2));
    return new InPlaceWriter.Report(dir.resolve(ReportText.name(ts)), text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes {@code n} reports at {@code rate} per second and polls the agent every 10 ms until each
   * is a row; the latency runs from a report's last write to the poll that first saw its row.
   */
  ObjectNode latency(int n, double rate) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Map<String, Long> pending = new ConcurrentHashMap<>();
    List<Long> micros = new ArrayList<>(n);
    long period = (long) (1e9 / rate);
    long t0 = System.nanoTime() + 200_000_000L;
    try (InPlaceWriter w = new InPlaceWriter()) {
      for (int i = 0; i < n; i++) {
        InPlaceWriter.Report r = nextReport();
        String name = r.file().getFileName().toString();
        w.schedule(t0 + i * period, r, last -> pending.put(name, last));
      }
      pollUntilVisible(w, pending, micros, n, t0 + n * period + VISIBLE_WITHIN.toNanos());
      w.check();
    }
    return latencyFigures(n, rate, micros);
  }

  /**
   * Every {@link #LATENCY_POLL}, asks the agent which written reports are rows, until {@code n} are or
   * the deadline passes; adds each one's latency to {@code micros}.
   */
  private void pollUntilVisible(InPlaceWriter w, Map<String, Long> pending, List<Long> micros, int n, long deadline)
      throws IOException, InterruptedException {
    while (micros.size() < n && System.nanoTime() < deadline) {
      long tick = System.nanoTime();
      w.check();
      List<String> names = List.copyOf(pending.keySet());
      if (!names.isEmpty()) {
        for (JsonNode row : agent.query(inList(names))) {
          long seen = System.nanoTime();
          Long last = pending.remove(row.get("filename").asText());
          if (last != null) {
            micros.add((seen - last) / 1000);
          }
        }
      }
      long sleep = LATENCY_POLL.toNanos() - (System.nanoTime() - tick);
      if (sleep > 0) {
        TimeUnit.NANOSECONDS.sleep(sleep);
      }
    }
  }

  private static ObjectNode latencyFigures(int n, double rate, List<Long> micros) {
    long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
    ObjectNode out = NODES.objectNode();
    out.put("reports", n);
    out.put("ratePerSecond", rate);
    out.put("visible", sorted.length);
    out.put("missing", n - sorted.length);
    out.put("p50Ms", Results.percentile(sorted, 50) / 1000.0);
    out.put("p95Ms", Results.percentile(sorted, 95) / 1000.0);
    out.put("p99Ms", Results.percentile(sorted, 99) / 1000.0);
    out.put("maxMs", sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1000.0);
    out.put("minMs", sorted.length == 0 ? 0 : sorted[0] / 1000.0);
    ArrayNode all = out.putArray("latenciesMs");
    micros.forEach(m -> all.add(m / 1000.0));
    return out;
  }

  /** Least-squares slope of RSS against time from second {@code from} on, in MB per minute. */
  static double slopePerMinute(ArrayNode series, int from) {
    double n = 0;
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (JsonNode p : series) {
      double x = p.get("second").asDouble();
      if (x < from) {
        continue;
      }
      double y = p.get("rssMb").asDouble();
      n++;
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    double den = n * sxx - sx * sx;
    return den == 0 ? 0 : 60 * (n * sxy - sx * sy) / den;
  }

  private static String inList(List<String> names) {
    StringBuilder sql = new StringBuilder("SELECT filename FROM heartbeats WHERE filename IN (");
    for (int i = 0; i < names.size(); i++) {
      sql.append(i == 0 ? "'" : ", '").append(names.get(i).replace("'", "''")).append('\'');
    }
    return sql.append(')').toString();
  }

  /**
   * Writes {@code rate} reports a second for {@code seconds}, sampling the agent's RSS and CPU and its
   * backlog (written but not yet rows) every second, then waits for the backlog to drain.
   */
  ObjectNode sustain(int seconds, int rate) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    long before = agent.count("SELECT count(*) FROM heartbeats");
    int total = seconds * rate;
    long period = 1_000_000_000L / rate;
    ObjectNode out = NODES.objectNode();
    ArrayNode series = NODES.arrayNode();
    AtomicLong lastWrite = new AtomicLong();
    Measure.ProcSample start = agent.sample();
    out.set("duckdbMemoryStartMb", agent.duckdbMemoryMb());
    long t0 = System.nanoTime() + 200_000_000L;
    long maxBacklog;
    try (InPlaceWriter w = new InPlaceWriter()) {
      for (int i = 0; i < total; i++) {
        w.schedule(t0 + i * period, nextReport(), lastWrite::set);
      }
      maxBacklog = sampleEverySecond(w, t0, seconds, before, series);
      long visible = drain(w, total, before);
      out.put("drainMs", (System.nanoTime() - lastWrite.get()) / 1_000_000);
      out.put("visible", visible);
    }
    Measure.ProcSample end = agent.sample();
    out.set("duckdbMemoryEndMb", agent.duckdbMemoryMb());
    out.put("seconds", seconds);
    out.put("ratePerSecond", rate);
    out.put("reports", total);
    out.put("maxBacklog", maxBacklog);
    rssFigures(out, series, seconds, end);
    out.put("staged", out.get("visible").asLong());
    out.put("duplicates", agent.count("SELECT count(*) - count(DISTINCT \"timestamp\") FROM heartbeats"));
    out.put("rssSlopeSecondHalfMbPerMin", slopePerMinute(series, seconds / 2));
    JsonNode last = series.get(seconds);
    out.put("cpuPercent", 100.0 * (last.get("cpuMs").asLong() - start.cpuMs()) / (seconds * 1000.0));
    out.set("series", series);
    return out;
  }

  /**
   * At each second from {@code t0} for {@code seconds}, adds the agent's RSS, CPU, and the reports written
   * and visible to {@code series}; returns the largest backlog seen.
   */
  private long sampleEverySecond(InPlaceWriter w, long t0, int seconds, long before, ArrayNode series)
      throws IOException, InterruptedException {
    long maxBacklog = 0;
    for (int s = 0; s <= seconds; s++) {
      long at = t0 + s * 1_000_000_000L;
      long sleep = at - System.nanoTime();
      if (sleep > 0) {
        TimeUnit.NANOSECONDS.sleep(sleep);
      }
      w.check();
      Measure.ProcSample p = agent.sample();
      long visible = agent.count("SELECT count(*) FROM heartbeats") - before;
      long backlog = w.written.get() - visible;
      maxBacklog = Math.max(maxBacklog, backlog);
      ObjectNode point = series.addObject();
      point.put("second", s);
      point.put("written", w.written.get());
      point.put("visible", visible);
      point.put("rssMb", p.rssKb() / 1024.0);
      point.put("cpuMs", p.cpuMs());
    }
    return maxBacklog;
  }

  /** Waits until all {@code total} reports are written and rows, or {@link #DRAIN_WITHIN}; returns the rows. */
  private long drain(InPlaceWriter w, int total, long before) throws IOException, InterruptedException {
    long drainDeadline = System.nanoTime() + DRAIN_WITHIN.toNanos();
    long visible = 0;
    while (System.nanoTime() < drainDeadline) {
      w.check();
      visible = agent.count("SELECT count(*) FROM heartbeats") - before;
      if (visible >= total && w.written.get() >= total) {
        break;
      }
      Thread.sleep(50);
    }
    return visible;
  }

  /** The median RSS of the samples from second {@code from} to {@code to} (exclusive). */
  private static double medianRss(ArrayNode series, int from, int to) {
    double[] rss = new double[to - from];
    for (int i = from; i < to; i++) {
      rss[i - from] = series.get(i).get("rssMb").asDouble();
    }
    Arrays.sort(rss);
    return rss.length % 2 == 1 ? rss[rss.length / 2] : (rss[rss.length / 2 - 1] + rss[rss.length / 2]) / 2;
  }

  /** RSS at the start, half-way, the end and after the drain, its maximum, and its growth late in the run. */
  private static void rssFigures(ObjectNode out, ArrayNode series, int seconds, Measure.ProcSample end) {
    JsonNode first = series.get(0);
    JsonNode half = series.get(seconds / 2);
    JsonNode last = series.get(seconds);
    out.put("rssStartMb", first.get("rssMb").asDouble());
    out.put("rssHalfMb", half.get("rssMb").asDouble());
    out.put("rssEndMb", last.get("rssMb").asDouble());
    out.put("rssAfterDrainMb", end.rssKb() / 1024.0);
    double max = 0;
    for (JsonNode p : series) {
      max = Math.max(max, p.get("rssMb").asDouble());
    }
    out.put("rssMaxMb", max);
    out.put("rssGrowthSecondHalfMb", last.get("rssMb").asDouble() - half.get("rssMb").asDouble());
    // Outcome 3 of issue 10 reads the last third (the last 10 minutes of a 30-minute soak).
    double thirdStart = series.get(seconds * 2 / 3).get("rssMb").asDouble();
    out.put("rssLastThirdStartMb", thirdStart);
    out.put("rssLastThirdGrowthPercent", 100.0 * (last.get("rssMb").asDouble() - thirdStart) / thirdStart);
    // The same growth read from the trend, and from the medians of the first and last minute: RSS
    // wanders by 1-3 % within a flat minute, more than two single samples can tell from growth.
    double slope = slopePerMinute(series, seconds * 2 / 3);
    out.put("rssLastThirdSlopeMbPerMin", slope);
    out.put("rssLastThirdTrendPercent", 100.0 * slope * (seconds - seconds * 2 / 3) / 60.0 / thirdStart);
    int minute = Math.min(60, Math.max(1, seconds / 6));
    double firstMinute = medianRss(series, seconds * 2 / 3, seconds * 2 / 3 + minute);
    double lastMinute = medianRss(series, seconds - minute + 1, seconds + 1);
    out.put("rssLastThirdMedianStartMb", firstMinute);
    out.put("rssLastThirdMedianEndMb", lastMinute);
    out.put("rssLastThirdMedianGrowthPercent", 100.0 * (lastMinute - firstMinute) / firstMinute);
  }
}
