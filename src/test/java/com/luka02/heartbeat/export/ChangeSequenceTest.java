package com.luka02.heartbeat.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.luka02.heartbeat.store.ExportRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger notices a changed day by the store's change sequence, whatever the wall clock does. */
class ChangeSequenceTest {
  private static final LocalDate D1 = LocalDate.of(2026, 3, 2);

  @TempDir Path dir;

  private static List<Object> statuses(Fixture f) {
    return Fixture.column("SELECT status FROM read_parquet(" + Fixture.literal(f.flatParquet(D1)) + ") ORDER BY \"timestamp\"");
  }

  @Test
  void editAfterTheClockWentBackTwoHoursIsExportedAgain() throws Exception {
    try (Fixture f = Fixture.create(dir, Fixture.at(D1.plusDays(1), "09:00"))) {
      f.heartbeats(D1, "ok", "ok", "ok");
      f.stage();
      f.rollover().runDue();
      assertEquals(List.of("ok", "ok", "ok"), statuses(f));

      f.clock.advance(Duration.ofHours(-2));
      f.heartbeat(Fixture.at(D1, "08:05"), "error");
      f.stage();
      List<DayResult> again = f.rollover().runDue();

      assertEquals(List.of(D1), again.stream().map(DayResult::day).toList());
      assertEquals(List.of("ok", "error", "ok"), statuses(f));
    }
  }

  @Test
  void clockGoingBackWithoutAnEditExportsNothingAgain() throws Exception {
    try (Fixture f = Fixture.create(dir, Fixture.at(D1.plusDays(1), "09:00"))) {
      f.heartbeats(D1, "ok", "warn");
      f.stage();
      f.rollover().runDue();
      ExportRecord first = f.ledger(D1);

      f.clock.advance(Duration.ofHours(-2));
      f.stage();
      f.reopen();
      List<DayResult> again = f.rollover().runDue();

      assertEquals(List.of(), again);
      assertEquals(first, f.ledger(D1));
    }
  }

  @Test
  void sameBytesRestagedByReparseAreNotAChangeButNewBytesAre() throws Exception {
    try (Fixture f = Fixture.create(dir, Fixture.at(D1.plusDays(1), "09:00"))) {
      f.heartbeats(D1, "ok");
      f.stage();
      f.rollover().runDue();
      ExportRecord first = f.ledger(D1);

      f.heartbeat(Fixture.at(D1, "08:00"), "ok"); // rewritten with the same bytes: only the mtime moves
      f.stage();
      assertEquals(List.of(), f.rollover().runDue());

      f.clock.advance(Duration.ofDays(-1));
      f.heartbeat(Fixture.at(D1, "08:00"), "warn");
      f.stage();
      f.clock.advance(Duration.ofDays(1));
      f.rollover().runDue();
      assertNotEquals(first.sha256(), f.ledger(D1).sha256());
    }
  }
}
