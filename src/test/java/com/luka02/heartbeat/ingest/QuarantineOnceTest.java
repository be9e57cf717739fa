package com.luka02.heartbeat.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.store.StagingStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One quarantined file is one quarantine: the watcher hands a file over again for every event and
 * every reconcile while it is young, and an unchanged bad file must not be counted or logged again.
 */
class QuarantineOnceTest {
  private static final String MALFORMED = "heartbeat_2026-03-02_08-25-27.md";

  @TempDir Path root;

  @Test
  void aBadFileHandedOverTwice_isQuarantinedOnce() throws Exception {
    Config config = ConfigLoader.load(root, null);
    Path file = Files.createDirectories(config.reportsDir().resolve("ops_atomic")).resolve(MALFORMED);
    Files.copy(Path.of("samples", MALFORMED), file);
    List<Integer> quarantinedPerCommit = new ArrayList<>();
    try (StagingStore store = StagingStore.open(config)) {
      Ingester ingester = new Ingester(config, store, Clock.fixed(TestRoot.NOW, ZoneOffset.UTC),
          (staged, bad, counts) -> quarantinedPerCommit.add(bad.size()));

      assertInstanceOf(Outcome.Bad.class, ingester.ingest(List.of(file), true).get(file));
      assertEquals(Outcome.UNCHANGED, ingester.ingest(List.of(file), true).get(file));
      assertEquals(List.of(1), quarantinedPerCommit);

      Files.writeString(file, Files.readString(file) + "\nchanged\n"); // a changed file is judged again
      assertInstanceOf(Outcome.Bad.class, ingester.ingest(List.of(file), true).get(file));
      assertEquals(List.of(1, 1), quarantinedPerCommit);
    }
  }
}
