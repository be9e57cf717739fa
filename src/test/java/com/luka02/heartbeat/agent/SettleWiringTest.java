package com.luka02.heartbeat.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.fixtures.ReportText;
import com.luka02.heartbeat.ingest.Ingester;
import com.luka02.heartbeat.store.StagingStore;
import com.luka02.heartbeat.watch.SettleQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settled files are staged a chunk at a time, and no file is lost at a chunk's edge. */
class SettleWiringTest {
  @TempDir Path root;

  @Test
  void aSettleOfMoreFilesThanAChunkStagesEveryOne() throws Exception {
    Files.writeString(root.resolve("config.json"), "{\"zone\": \"UTC\"}");
    Config config = ConfigLoader.load(root, root.resolve("config.json"));
    Path ops = Files.createDirectories(config.reportsDir().resolve("ops_atomic"));
    Instant first = Instant.parse("2026-11-01T00:00:00Z");
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 2 * SettleWiring.CHUNK + 5; i++) {
      files.add(ReportText.write(ops, first.plusSeconds(300L * i)));
    }
    try (StagingStore store = StagingStore.open(config)) {
      SettleWiring wiring = new SettleWiring(new Ingester(config, store, Clock.systemUTC()),
          new SettleQueue(Duration.ofMillis(200), Duration.ofSeconds(2), System::nanoTime), () -> false, f -> { },
          () -> { });

      Set<Path> done = wiring.stage(files, true);

      assertEquals(Set.copyOf(files), done);
      assertEquals((long) files.size(),
          ((Number) store.query("SELECT count(DISTINCT source_path) FROM heartbeats", 1).rows().get(0).get(0)).longValue());
    }
  }
}
