package com.luka02.heartbeat.export;

import com.luka02.heartbeat.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.store.ExportRecord;
import com.luka02.heartbeat.store.StagingStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clocks that jump and zones that change must not lose or double a day. */
class ClockAndZoneTest {
  private static final LocalDate D1 = LocalDate.of(2026, 3, 2);

  @TempDir Path dir;

  @Test
  void clockJumpingBackAndForwardExportsEveryDayExactlyOnce() throws Exception {
    try (Fixture f = Fixture.create(dir, Fixture.at(D1.plusDays(3), "09:00"))) {
      for (int d = 0; d < 6; d++) {
        f.heartbeats(D1.plusDays(d), "ok", "warn", "error");
      }
      f.clock.set(Fixture.at(D1.plusDays(6), "09:00")); // staged once they all exist
      f.stage();
      f.clock.set(Fixture.at(D1.plusDays(3), "09:00"));
      RolloverTrigger trigger = new RolloverTrigger(f.rollover().schedule(), Duration.ofMinutes(5));
      Map<LocalDate, String> firstChecksums = tickAndLedger(f, trigger);

      f.clock.set(Fixture.at(D1.minusDays(2), "12:00")); // backwards, before any data
      Map<LocalDate, String> afterBack = tickAndLedger(f, trigger);
      f.clock.set(Fixture.at(D1.plusDays(9), "12:00")); // forwards, past every day
      Map<LocalDate, String> afterForward = tickAndLedger(f, trigger);

      assertEquals(List.of(D1, D1.plusDays(1), D1.plusDays(2)), List.copyOf(firstChecksums.keySet()));
      assertEquals(firstChecksums, afterBack, "going back re-exports nothing");
      assertEquals(6, afterForward.size(), "going forward exports the rest, once each");
      firstChecksums.forEach((day, sha) -> assertEquals(sha, afterForward.get(day), day + " was exported twice"));
    }
  }

  private static Map<LocalDate, String> tickAndLedger(Fixture f, RolloverTrigger trigger) {
    Instant now = f.clock.instant();
    if (trigger.due(now)) {
      trigger.ran(now, f.rollover().runDue().stream().allMatch(DayResult::ok));
    }
    return f.ledger().stream().collect(Collectors.toMap(ExportRecord::day, ExportRecord::sha256,
        (a, b) -> a, java.util.TreeMap::new));
  }

  @Test
  void zoneChangeRebucketsDaysWithoutLosingOrDoublingARow() throws Exception {
    List<Instant> reports;
    try (Fixture f = Fixture.create(dir, Fixture.at(D1.plusDays(3), "09:00"))) {
      // Around Berlin midnight, so that UTC puts some reports on another day.
      reports = List.of(Fixture.at(D1, "22:30"), Fixture.at(D1, "23:30"), Fixture.at(D1.plusDays(1), "00:30"),
          Fixture.at(D1.plusDays(1), "01:30"), Fixture.at(D1.plusDays(1), "12:00"));
      for (Instant t : reports) {
        f.heartbeat(t, "ok");
      }
      f.stage();
      f.rollover().runDue();
      assertEquals(2, f.ledger().size());
      f.store.close();
      f.store = null;
    }
    Files.writeString(dir.resolve("config.json"), "{\"zone\": \"Asia/Tokyo\"}");
    Config tokyo = ConfigLoader.load(dir, dir.resolve("config.json"));
    try (StagingStore store = StagingStore.open(tokyo)) {
      new Rollover(tokyo, store, new MutableClock(Fixture.at(D1.plusDays(5), "09:00"))).runDue();

      List<Path> files;
      try (var list = Files.list(tokyo.parquetDir())) {
        files = list.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
      }
      long rowsInFiles = files.stream().mapToLong(Fixture::parquetRows).sum();
      long distinct = files.stream().flatMap(p -> Fixture.parquetTimestamps(p).stream()).distinct().count();
      assertEquals(reports.size(), rowsInFiles, "every report in exactly one file: " + files);
      assertEquals(reports.size(), distinct);
      assertTrue(store.exports(10).stream().allMatch(e -> Files.exists(tokyo.root().resolve(e.file()))));
    }
  }
}
