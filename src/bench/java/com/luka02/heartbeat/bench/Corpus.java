package com.luka02.heartbeat.bench;

import com.luka02.heartbeat.fixtures.ReportText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * A deterministic reports tree shaped like the real one (shared FORMAT.md): 288 reports a day on a
 * drifting five-minute cadence with missed runs and CI bursts, the real status mix, 67-line stack
 * traces, older files directly under {@code g/reports/}, conflict copies and non-heartbeat neighbours.
 *
 * <p>Each day is planned from its own seed, so any subset of days can be written alone.
 */
final class Corpus {
  static final int REPORTS_PER_DAY = 288;
  static final Duration CADENCE = Duration.ofMinutes(5);
  /** About this many non-heartbeat neighbours share a year's tree. */
  static final int NEIGHBOURS_PER_YEAR = 1000;
  /** The first tenth of the days was written by an older monitor directly under g/reports/. */
  static final double OLD_LAYOUT_SHARE = 0.1;
  static final double MISSED_RUN_CHANCE = 0.004;
  static final double CONFLICT_COPY_CHANCE = 1.0 / 5000;
  /** One real file in 781 has a timestamp a second later than its name. */
  static final double NAME_MISMATCH_CHANCE = 1.0 / 781;

  static final DateTimeFormatter OPS_NAME =
      DateTimeFormatter.ofPattern("'OPS_ATOMIC_'yyMMdd_HHmmss'.md'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter COMPACT = DateTimeFormatter.BASIC_ISO_DATE;

  /** The kinds of report seen in the field, with their share in percent. */
  enum Kind {
    HEALTHY(42, "ok", "ok"),
    WARNINGS(10, "warn", "ok"),
    CRITICAL_DB_MISSING(24, "error", "error"),
    CRITICAL_ALL_DOWN(5, "error", "error"),
    CI_SKIPPED(9, "warn", "skipped"),
    CRITICAL_STACK_TRACE(10, "error", "error");

    final int percent;
    /** The row's {@code status} and {@code database_status}, as FORMAT.md defines them. */
    final String status;
    final String databaseStatus;

    Kind(int percent, String status, String databaseStatus) {
      this.percent = percent;
      this.status = status;
      this.databaseStatus = databaseStatus;
    }

    static Kind pick(Random rnd) {
      int roll = rnd.nextInt(100);
      for (Kind k : values()) {
        roll -= k.percent;
        if (roll < 0) {
          return k;
        }
      }
      throw new AssertionError("shares add up to 100");
    }
  }

  /** What to generate: {@code days} days from {@code firstDay}, from {@code seed}. */
  record Spec(LocalDate firstDay, int days, long seed) {
    Spec {
      if (days < 1) {
        throw new IllegalArgumentException("days must be at least 1: " + days);
      }
    }

    int oldLayoutDays() {
      return (int) Math.ceil(days * OLD_LAYOUT_SHARE);
    }

    int neighbours() {
      return Math.max(10, (int) Math.round((double) NEIGHBOURS_PER_YEAR * days / 365));
    }

    LocalDate day(int index) {
      return firstDay.plusDays(index);
    }
  }

  /**
   * One heartbeat file. {@code variant} picks between equally real renderings of a kind;
   * a conflict copy repeats the report before it, byte for byte.
   */
  record ReportFile(String relativePath, Instant timestamp, Kind kind, int durationMs, int variant,
      boolean conflictCopy) {
    String fileName() {
      return relativePath.substring(relativePath.lastIndexOf('/') + 1);
    }

    /** When the monitor finished writing it. */
    Instant writtenAt() {
      return timestamp.plusMillis(durationMs + (conflictCopy ? 120_000 : 0));
    }

    String content() {
      return CorpusText.render(timestamp, kind, durationMs, variant);
    }
  }

  /** A file in the reports tree that is not a heartbeat. */
  record Neighbour(String relativePath, String content, Instant writtenAt) {}

  /** What was written. */
  record Stats(long reports, long heartbeatFiles, long conflictCopies, long oldLayoutFiles, long neighbours,
      long bytes, Map<Kind, Long> mix) {}

  private Corpus() {}

  /** The heartbeat files of day {@code index}, in time order; exactly {@link #REPORTS_PER_DAY} reports. */
  static List<ReportFile> planDay(Spec spec, int index) {
    Random rnd = new Random(spec.seed() * 1_000_003L + index);
    Instant dayStart = spec.day(index).atStartOfDay(ZoneOffset.UTC).toInstant();
    String dir = index < spec.oldLayoutDays() ? "g/reports/" : "g/reports/ops_atomic/";
    // Missed runs leave gaps; as many CI runs land seconds apart after one regular run, so that
    // every day holds the same number of reports and the corpus size is exact.
    boolean[] missed = new boolean[REPORTS_PER_DAY];
    int misses = 0;
    for (int slot = 1; slot < REPORTS_PER_DAY - 1; slot++) {
      if (rnd.nextDouble() < MISSED_RUN_CHANCE) {
        missed[slot] = true;
        misses++;
      }
    }
    int burstAfter = misses == 0 ? -1 : pickUnmissed(rnd, missed);
    List<ReportFile> files = new ArrayList<>(REPORTS_PER_DAY + 2);
    long t = dayStart.toEpochMilli() + rnd.nextInt(20_000);
    for (int slot = 0; slot < REPORTS_PER_DAY; slot++) {
      int duration = 0;
      if (!missed[slot]) {
        Kind kind = Kind.pick(rnd);
        duration = duration(kind, rnd);
        add(files, dir, Instant.ofEpochMilli(t), kind, duration, rnd);
      }
      if (slot == burstAfter) {
        long ci = t;
        for (int extra = 0; extra < misses; extra++) {
          ci += 3_000 + rnd.nextInt(12_000);
          add(files, dir, Instant.ofEpochMilli(ci), Kind.CI_SKIPPED, duration(Kind.CI_SKIPPED, rnd), rnd);
        }
      }
      // The next run starts five minutes after this one ended: the cadence drifts by each run's length.
      t += CADENCE.toMillis() + duration + rnd.nextInt(200);
    }
    return files;
  }

  private static int pickUnmissed(Random rnd, boolean[] missed) {
    while (true) {
      int slot = rnd.nextInt(REPORTS_PER_DAY - 1);
      if (!missed[slot] && !missed[slot + 1]) {
        return slot;
      }
    }
  }

  private static void add(List<ReportFile> files, String dir, Instant ts, Kind kind, int duration, Random rnd) {
    Instant named = rnd.nextDouble() < NAME_MISMATCH_CHANCE ? ts.minusSeconds(1) : ts;
    String name = ReportText.name(named);
    String base = name.substring(0, name.length() - ".md".length());
    int variant = rnd.nextInt(2);
    ReportFile f = new ReportFile(dir + base + ".md", ts, kind, duration, variant, false);
    files.add(f);
    if (rnd.nextDouble() < CONFLICT_COPY_CHANCE) {
      files.add(new ReportFile(dir + base + " 2.md", ts, kind, duration, variant, true));
    }
  }

  private static int duration(Kind kind, Random rnd) {
    return switch (kind) {
      case HEALTHY, WARNINGS -> 35 + rnd.nextInt(45);
      case CRITICAL_DB_MISSING, CRITICAL_ALL_DOWN -> 55 + rnd.nextInt(80);
      case CI_SKIPPED -> 30 + rnd.nextInt(20);
      case CRITICAL_STACK_TRACE -> 85 + rnd.nextInt(170);
    };
  }

  /** The non-heartbeat files of day {@code index}: export summaries, OPS_ATOMIC runs and session notes. */
  static List<Neighbour> neighboursOfDay(Spec spec, int index) {
    Random rnd = new Random(~(spec.seed() * 1_000_003L + index));
    int total = spec.neighbours();
    int from = (int) ((long) index * total / spec.days());
    int to = (int) ((long) (index + 1) * total / spec.days());
    LocalDate day = spec.day(index);
    Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
    List<Neighbour> out = new ArrayList<>();
    for (int n = from; n < to; n++) {
      Instant at = dayStart.plusSeconds(rnd.nextInt(86_400)).plusMillis(rnd.nextInt(1000));
      if (n == from) {
        // The old exporter left one summary per day; they live in the summary folder.
        Instant exportedAt = dayStart.plus(Duration.ofHours(19).plusMinutes(30)).plusMillis(rnd.nextInt(900));
        out.add(new Neighbour("g/reports/parquet/parquet_export_summary_" + COMPACT.format(day) + ".md",
            CorpusText.exportSummary(exportedAt, REPORTS_PER_DAY, COMPACT.format(day)), exportedAt));
      } else if (n % 6 == 5) {
        out.add(new Neighbour("g/reports/sessions/session_" + COMPACT.format(day) + "_" + n + ".md",
            CorpusText.sessionNote(at, rnd), at));
      } else {
        out.add(new Neighbour("g/reports/" + OPS_NAME.format(at), CorpusText.opsAtomic(at, rnd), at));
      }
    }
    return out;
  }

  /** Writes the days {@code include} accepts under {@code root}, files stamped with the time they were written. */
  static Stats write(Path root, Spec spec, IntPredicate include) {
    AtomicLong bytes = new AtomicLong();
    List<Stats> perDay = IntStream.range(0, spec.days()).filter(include).parallel()
        .mapToObj(i -> writeDay(root, spec, i, bytes)).toList();
    Map<Kind, Long> mix = new EnumMap<>(Kind.class);
    long reports = 0;
    long files = 0;
    long copies = 0;
    long old = 0;
    long neighbours = 0;
    for (Stats s : perDay) {
      reports += s.reports();
      files += s.heartbeatFiles();
      copies += s.conflictCopies();
      old += s.oldLayoutFiles();
      neighbours += s.neighbours();
      s.mix().forEach((k, v) -> mix.merge(k, v, Long::sum));
    }
    return new Stats(reports, files, copies, old, neighbours, bytes.get(), mix);
  }

  static Stats write(Path root, Spec spec) {
    return write(root, spec, i -> true);
  }

  private static Stats writeDay(Path root, Spec spec, int index, AtomicLong bytes) {
    Map<Kind, Long> mix = new EnumMap<>(Kind.class);
    List<ReportFile> files = planDay(spec, index);
    List<Neighbour> neighbours = neighboursOfDay(spec, index);
    long copies = 0;
    long old = 0;
    try {
      for (ReportFile f : files) {
        bytes.addAndGet(writeFile(root.resolve(f.relativePath()), f.content(), f.writtenAt()));
        if (f.conflictCopy()) {
          copies++;
        } else {
          mix.merge(f.kind(), 1L, Long::sum);
        }
        if (!f.relativePath().startsWith("g/reports/ops_atomic/")) {
          old++;
        }
      }
      for (Neighbour n : neighbours) {
        bytes.addAndGet(writeFile(root.resolve(n.relativePath()), n.content(), n.writtenAt()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the corpus under " + root + ": " + e.getMessage(), e);
    }
    return new Stats(files.size() - copies, files.size(), copies, old, neighbours.size(), 0, mix);
  }

  private static long writeFile(Path file, String content, Instant writtenAt) throws IOException {
    Files.createDirectories(file.getParent());
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    Files.write(file, data);
    // A past mtime, as on a real tree: the agent treats files younger than its grace period as in flight.
    Files.setLastModifiedTime(file, FileTime.from(writtenAt));
    return data.length;
  }
}
