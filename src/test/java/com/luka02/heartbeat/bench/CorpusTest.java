package com.luka02.heartbeat.bench;

import com.luka02.heartbeat.report.Status;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.luka02.heartbeat.report.Heartbeat;
import com.luka02.heartbeat.report.ReportFormatException;
import com.luka02.heartbeat.report.ReportParser;
import com.luka02.heartbeat.fixtures.ReportText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {
  private static final Corpus.Spec TWO_DAYS = new Corpus.Spec(LocalDate.of(2025, 3, 1), 2, 7);

  private static List<Corpus.ReportFile> reports(Corpus.Spec spec) {
    return IntStream.range(0, spec.days()).boxed().flatMap(i -> Corpus.planDay(spec, i).stream())
        .filter(f -> !f.conflictCopy()).toList();
  }

  @Test
  void everyDayHolds288ReportsWithinTheDayInTimeOrder() {
    for (int i = 0; i < TWO_DAYS.days(); i++) {
      LocalDate day = TWO_DAYS.day(i);
      List<Corpus.ReportFile> files = Corpus.planDay(TWO_DAYS, i).stream().filter(f -> !f.conflictCopy()).toList();
      assertEquals(Corpus.REPORTS_PER_DAY, files.size());
      for (int k = 0; k < files.size(); k++) {
        assertEquals(day, files.get(k).timestamp().atZone(ZoneOffset.UTC).toLocalDate());
        if (k > 0) {
          assertTrue(files.get(k).timestamp().isAfter(files.get(k - 1).timestamp()));
        }
      }
    }
  }

  @Test
  void cadenceIsFiveMinutesPlusTheRunWithMissedRunsAndCiBursts() {
    Corpus.Spec month = new Corpus.Spec(LocalDate.of(2025, 3, 1), 30, 7);
    int gaps = 0;
    int regular = 0;
    int missed = 0;
    int burst = 0;
    int odd = 0;
    for (int i = 0; i < month.days(); i++) {
      List<Corpus.ReportFile> day = Corpus.planDay(month, i).stream().filter(f -> !f.conflictCopy()).toList();
      boolean afterBurst = false;
      for (int k = 1; k < day.size(); k++) {
        long ms = Duration.between(day.get(k - 1).timestamp(), day.get(k).timestamp()).toMillis();
        gaps++;
        if (ms >= 300_000 && ms < 301_000) {
          regular++;
        } else if (ms >= 600_000) {
          missed++;
        } else if (ms < 20_000) {
          burst++;
        } else if (!afterBurst) {
          odd++; // only the run after a CI burst may come sooner than five minutes
        }
        afterBurst = ms < 20_000;
      }
    }
    int total = gaps;
    int r = regular;
    int o = odd;
    assertTrue(r > 0.97 * total, "regular gaps: " + r + " of " + total);
    assertTrue(missed > 0, "no missed run in a month");
    assertTrue(burst > 0, "no CI burst in a month");
    assertEquals(0, o, "gaps of an unexpected length");
  }

  @Test
  void namesMatchTimestampsToTheSecondInAllButRareFiles() {
    List<Corpus.ReportFile> all = reports(new Corpus.Spec(LocalDate.of(2025, 3, 1), 30, 7));
    long mismatched = all.stream().filter(f -> !f.fileName().equals(ReportText.name(f.timestamp()))).count();
    assertTrue(all.stream().allMatch(f -> ReportParser.isHeartbeatName(f.fileName())));
    assertTrue(mismatched > 0 && mismatched < all.size() / 200, "mismatched names: " + mismatched);
  }

  @Test
  void statusMixHoldsEveryKindInRoughlyItsShare() {
    List<Corpus.ReportFile> all = reports(TWO_DAYS);
    Map<Corpus.Kind, Integer> mix = new EnumMap<>(Corpus.Kind.class);
    all.forEach(f -> mix.merge(f.kind(), 1, Integer::sum));
    for (Corpus.Kind k : Corpus.Kind.values()) {
      double share = 100.0 * mix.getOrDefault(k, 0) / all.size();
      assertTrue(Math.abs(share - k.percent) < Math.max(4, k.percent * 0.35), k + ": " + share + "%");
    }
  }

  @Test
  void everyReportParsesToTheRowItsKindPromises() throws ReportFormatException {
    for (Corpus.ReportFile f : reports(TWO_DAYS)) {
      Heartbeat h = ReportParser.parse(f.content().getBytes(StandardCharsets.UTF_8));
      assertAll(f.relativePath(),
          () -> assertEquals(f.timestamp(), h.timestamp()),
          () -> assertEquals(f.kind().status, h.status().wire()),
          () -> assertEquals(f.kind().databaseStatus, Status.wireOrNull(h.sectionStatus("Database"))),
          () -> assertEquals(f.durationMs(), h.durationMs()),
          () -> assertTrue(h.complete()));
    }
  }

  @Test
  void reportsHaveTheRealLineCounts() {
    Map<Corpus.Kind, Long> lines = new EnumMap<>(Corpus.Kind.class);
    for (Corpus.ReportFile f : reports(TWO_DAYS)) {
      lines.put(f.kind(), f.content().chars().filter(c -> c == '\n').count());
    }
    assertEquals(38, lines.get(Corpus.Kind.HEALTHY));
    assertEquals(37, lines.get(Corpus.Kind.CI_SKIPPED));
    assertEquals(67, lines.get(Corpus.Kind.CRITICAL_STACK_TRACE));
  }

  @Test
  void writesTheRealLayoutWithOldFilesAndNeighbours(@TempDir Path root) throws IOException {
    Corpus.Stats stats = Corpus.write(root, TWO_DAYS);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    List<Path> heartbeats = new ArrayList<>();
    List<Path> others = new ArrayList<>();
    files.forEach(p -> (ReportParser.isHeartbeatName(p.getFileName().toString()) ? heartbeats : others).add(p));
    assertAll(
        () -> assertEquals(2 * Corpus.REPORTS_PER_DAY, stats.reports()),
        () -> assertEquals(stats.heartbeatFiles(), heartbeats.size()),
        () -> assertEquals(stats.neighbours(), others.size()),
        () -> assertTrue(heartbeats.stream().anyMatch(p -> p.getParent().equals(root.resolve("g/reports")))),
        () -> assertTrue(heartbeats.stream().anyMatch(p -> p.getParent().equals(root.resolve("g/reports/ops_atomic")))),
        () -> assertTrue(others.stream().anyMatch(p -> p.getFileName().toString().startsWith("OPS_ATOMIC_"))),
        () -> assertFalse(Files.getLastModifiedTime(heartbeats.get(0)).toInstant()
            .isAfter(TWO_DAYS.day(2).atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(300))));
  }
}
