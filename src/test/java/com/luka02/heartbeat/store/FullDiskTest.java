package com.luka02.heartbeat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.luka02.heartbeat.report.Heartbeat;
import com.luka02.heartbeat.report.ReportParser;
import com.luka02.heartbeat.testing.SmallDisk;
import com.luka02.heartbeat.fixtures.ReportText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: the store lives on a small tmpfs, which the test fills and frees. Needs
 * Linux and the right to mount (root in CI); skipped elsewhere.
 */
class FullDiskTest {
  private static final Instant NOW = Instant.parse("2025-11-20T03:04:05Z");
  private static final Instant FIRST_REPORT = Instant.parse("2025-11-19T00:00:00Z");
  private static final ZoneId UTC = ZoneId.of("UTC");

  @TempDir Path root;
  private SmallDisk disk;
  private Path dir;

  @BeforeEach
  void mountSmallDisk() throws Exception {
    disk = SmallDisk.mount(root.resolve("disk"), "4m");
    dir = disk.dir();
  }

  @AfterEach
  void unmount() throws Exception {
    if (disk != null) {
      disk.close();
    }
  }

  /** Reports every five minutes from {@code from}, as the ingester would hand them over. */
  private static List<StagedFile> reports(Instant from, int n) throws Exception {
    List<StagedFile> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Instant t = from.plus(Duration.ofMinutes(5L * i));
      byte[] bytes = ReportText.healthy(t).getBytes(StandardCharsets.UTF_8);
      Heartbeat h = ReportParser.parse(bytes);
      out.add(new StagedFile("g/reports/ops_atomic/" + ReportText.name(t), bytes.length, t.toEpochMilli(),
          "hash-" + i, h, LocalDate.ofInstant(t, ZoneOffset.UTC)));
    }
    return out;
  }

  private StagingStore open() {
    return StagingStore.open(dir.resolve("staging.duckdb"), UTC, List.of(dir));
  }

  @Test
  void stagingFailsOnAFullDiskAndWorksOnceSpaceIsFreed() throws Exception {
    List<StagedFile> day = reports(FIRST_REPORT, 200);
    try (StagingStore store = open()) {
      store.stage(day.subList(0, 100), List.of(), NOW, false);
      Path filler = disk.fill();

      StoreException full = assertThrows(StoreException.class, () -> store.stage(day.subList(100, 200), List.of(), NOW, false));
      assertNotNull(store.stagingFailure(), full.getMessage());
      Files.delete(filler);

      store.stage(day.subList(100, 200), List.of(), NOW, false);
      assertNull(store.stagingFailure());
      assertEquals(200L, Stores.value(store, "SELECT count(*) FROM heartbeats"));
    }
    try (StagingStore store = open()) {
      assertEquals(200L, Stores.value(store, "SELECT count(*) FROM heartbeats"), "the rows staged after the fault are durable");
    }
  }

  @Test
  void aCheckpointThatHitAFullDiskIsHealedByReopeningOnTheNextWrite() throws Exception {
    List<StagedFile> day = reports(FIRST_REPORT, 200);
    try (StagingStore store = open()) {
      store.stage(day.subList(0, 100), List.of(), NOW, false);
      Path filler = disk.fill();

      // DuckDB invalidates the whole database when a checkpoint cannot be written.
      assertThrows(StoreException.class, store::checkpoint);
      Files.delete(filler);

      store.stage(day.subList(100, 200), List.of(), NOW, false);
      assertEquals(200L, Stores.value(store, "SELECT count(*) FROM heartbeats"));
    }
    try (StagingStore store = open()) {
      assertEquals(200L, Stores.value(store, "SELECT count(*) FROM heartbeats"));
    }
  }
}
