package com.luka02.heartbeat.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.ingest.CatchupOptions;
import com.luka02.heartbeat.fixtures.ReportText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code status} gives times in the configured zone with their offset, and says where history lives. */
class StatusZoneTest {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00.123Z");

  @TempDir Path root;

  @Test
  void timesAreLocalWithTheirOffset_andTheZoneIsNamed() throws Exception {
    ReportText.write(root.resolve("g/reports"), T0);
    Files.writeString(root.resolve("config.json"), "{\"zone\": \"Asia/Bangkok\"}");
    try (LocalBackend local = new LocalBackend(ConfigLoader.load(root, root.resolve("config.json")),
        Clock.fixed(T0.plusSeconds(600), ZoneOffset.UTC), false)) {
      local.catchup(CatchupOptions.FULL);

      StatusReport s = local.status();

      assertEquals("2026-11-20 17:00:00 +07:00", s.lastReport());
      String text = s.render();
      assertTrue(text.contains("zone:            Asia/Bangkok\n"), text);
      assertTrue(text.contains("days staged:     1 day, 2026-11-20 (table heartbeats)\n"), text);
      assertTrue(text.contains("only in Parquet: none"), text);
      assertTrue(s.nextRollover().endsWith("02:30:00 +07:00"), s.nextRollover());
    }
  }
}
