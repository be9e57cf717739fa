package com.luka02.heartbeat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.luka02.heartbeat.fixtures.ReportText;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * Reports written into a watched tree while the agent runs, as the monitor writes them: in place,
 * in two chunks about 50 ms apart. Measures how soon each becomes a row (latency), and what a
 * steady stream does to the agent's memory (sustained ingest).
 */
final class LiveIngest {
  static final Duration CHUNK_PAUSE = Duration.ofMillis(50);
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

  private record Report(Path file, byte[] bytes) {}

  private Report nextReport() {
    Instant ts = nextStamp.plusMillis(rnd.nextInt(1000));
    nextStamp = nextStamp.plusSeconds(1);
    Corpus.Kind kind = Corpus.Kind.pick(rnd);
    String text = Corpus.render(ts, kind, 40 + rnd.nextInt(60), rnd.nextInt(2));
    return new Report(dir.resolve(ReportText.name(ts)), text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes reports on schedule; each in place, in two chunks, as a slow single write would land. */
  private static final class Writer implements AutoCloseable {
    private final ScheduledExecutorService pool = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "bench-writer");
      t.setDaemon(true);
      return t;
    });
    final AtomicLong written = new AtomicLong();
    final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** Starts {@code r} at {@code atNanos}; {@code done} gets the nanoTime of its last write. */
    void schedule(long atNanos, Report r, LongConsumer done) {
      pool.schedule(() -> {
        try {
          FileChannel ch = FileChannel.open(r.file(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING);
          int half = r.bytes().length / 2;
          writeFully(ch, ByteBuffer.wrap(r.bytes(), 0, half));
          pool.schedule(() -> finish(ch, r, half, done), CHUNK_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException | RuntimeException e) {
          failure.compareAndSet(null, e);
        }
      }, Math.max(0, atNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void finish(FileChannel ch, Report r, int half, LongConsumer done) {
      try (ch) {
        writeFully(ch, ByteBuffer.wrap(r.bytes(), half, r.bytes().length - half));
        long last = System.nanoTime();
        written.incrementAndGet();
        done.accept(last);
      } catch (IOException | RuntimeException e) {
        failure.compareAndSet(null, e);
      }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
    }

    void check() {
      Throwable t = failure.get();
      if (t != null) {
        throw new IllegalStateException("writing a report failed: " + t, t);
      }
    }

    @Override
    public void close() {
      pool.shutdownNow();
    }
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
    try (Writer w = new Writer()) {
      for (int i = 0; i < n; i++) {
        Report r = nextReport();
        String name = r.file().getFileName().toString();
        w.schedule(t0 + i * period, r, last -> pending.put(name, last));
      }
      long deadline = t0 + n * period + VISIBLE_WITHIN.toNanos();
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
      w.check();
    }
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
    long maxBacklog = 0;
    Measure.ProcSample start = agent.sample();
    out.set("duckdbMemoryStartMb", agent.duckdbMemoryMb());
    long t0 = System.nanoTime() + 200_000_000L;
    try (Writer w = new Writer()) {
      for (int i = 0; i < total; i++) {
        w.schedule(t0 + i * period, nextReport(), lastWrite::set);
      }
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
      out.put("drainMs", (System.nanoTime() - lastWrite.get()) / 1_000_000);
      out.put("visible", visible);
    }
    Measure.ProcSample end = agent.sample();
    out.set("duckdbMemoryEndMb", agent.duckdbMemoryMb());
    JsonNode first = series.get(0);
    JsonNode half = series.get(seconds / 2);
    JsonNode last = series.get(seconds);
    out.put("seconds", seconds);
    out.put("ratePerSecond", rate);
    out.put("reports", total);
    out.put("maxBacklog", maxBacklog);
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
    out.put("staged", out.get("visible").asLong());
    out.put("duplicates", agent.count("SELECT count(*) - count(DISTINCT \"timestamp\") FROM heartbeats"));
    out.put("rssSlopeSecondHalfMbPerMin", slopePerMinute(series, seconds / 2));
    out.put("cpuPercent", 100.0 * (last.get("cpuMs").asLong() - start.cpuMs()) / (seconds * 1000.0));
    out.set("series", series);
    return out;
  }
}
