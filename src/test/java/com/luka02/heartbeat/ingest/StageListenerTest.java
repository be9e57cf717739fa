package com.luka02.heartbeat.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listener is told after the commit, so what it is told about is there for every other reader. */
class StageListenerTest {
  @TempDir Path root;
  private final ExecutorService elsewhere = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    elsewhere.shutdownNow();
  }

  @Test
  void aCatchUpTellsTheListenerOnlyOnceAnotherThreadSeesTheRows() throws IOException {
    try (TestRoot t = TestRoot.open(root)) {
      Reports.copyAll("heartbeats-real", t.opsAtomic());
      List<Long> told = new ArrayList<>();
      List<Long> seen = new ArrayList<>();
      StageListener listener = (staged, quarantined, counts) -> {
        told.add((long) counts.inserted());
        seen.add(countElsewhere(t));
      };

      new Ingester(t.config, t.store, Clock.fixed(TestRoot.NOW, ZoneOffset.UTC), listener).catchup(CatchupOptions.FULL);

      assertEquals(7L, told.stream().mapToLong(Long::longValue).sum(), "told of every staged report");
      long toldSoFar = 0;
      for (int i = 0; i < told.size(); i++) {
        toldSoFar += told.get(i);
        assertTrue(seen.get(i) >= toldSoFar, "call " + i + ": told of " + toldSoFar + " rows, another thread saw "
            + seen.get(i));
      }
    }
  }

  @Test
  void aSettledFileIsToldAfterItsCommitToo() throws IOException {
    try (TestRoot t = TestRoot.open(root)) {
      Path file = Reports.copyReal(Reports.HEALTHY, t.opsAtomic());
      List<Long> seen = new ArrayList<>();
      StageListener listener = (staged, quarantined, counts) -> seen.add(countElsewhere(t));

      new Ingester(t.config, t.store, Clock.fixed(TestRoot.NOW, ZoneOffset.UTC), listener).ingest(List.of(file), true);

      assertEquals(List.of(1L), seen);
    }
  }

  private long countElsewhere(TestRoot t) {
    try {
      return elsewhere.submit(() -> t.count("heartbeats")).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the count on another thread failed", e);
    }
  }
}
