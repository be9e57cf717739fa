package com.luka02.heartbeat.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.luka02.heartbeat.fixtures.ReportText;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's own work shares DuckDB's memory limit with user queries: at the smallest limit, it still works. */
class EngineLimitsCatchupTest {
  private static final Instant FIRST = Instant.parse("2026-02-01T00:00:00Z");
  private static final int REPORTS = 2_000; // a week at the monitor's five-minute cadence

  @TempDir Path root;

  @Test
  void aCatchUpAtTheSmallestMemoryLimitStagesEveryReport() throws Exception {
    try (TestRoot t = TestRoot.open(root, "{\"zone\": \"UTC\", \"duckdbMemoryLimitMb\": 128, \"duckdbThreads\": 1}")) {
      for (int i = 0; i < REPORTS; i++) {
        ReportText.write(t.opsAtomic(), FIRST.plus(Duration.ofMinutes(5L * i)));
      }

      CatchupResult r = t.catchup();

      assertEquals(REPORTS, r.added());
      assertEquals((long) REPORTS, t.count("heartbeats"));
      assertEquals("122.0 MiB", t.value("SELECT current_setting('memory_limit')"));
      assertEquals(1L, ((Number) t.value("SELECT current_setting('threads')")).longValue());
    }
  }
}
