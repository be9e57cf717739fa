package com.luka02.heartbeat.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.luka02.heartbeat.fixtures.ReportText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * More recent reports than the quick check keeps: it compares the newest only, so that a flood costs
 * each look the same, and leaves the older ones to the full rescan.
 */
class QuickCheckFloodTest {
  private static final int KEPT = 4;

  @TempDir Path root;

  @Test
  void aLookComparesOnlyTheNewestRecentReportsAndTheFullRescanTheRest() throws IOException {
    try (TestRoot t = TestRoot.open(root)) {
      Clock clock = Clock.fixed(TestRoot.NOW, ZoneOffset.UTC);
      List<Path> files = new ArrayList<>();
      for (int i = 6; i >= 1; i--) { // the last hour's reports, oldest first
        Instant at = TestRoot.NOW.minusSeconds(600L * i);
        Path f = Files.writeString(Files.createDirectories(t.opsAtomic()).resolve(ReportText.name(at)),
            ReportText.healthy(at), UTF_8);
        Files.setLastModifiedTime(f, FileTime.from(at));
        files.add(f);
      }
      QuickCheck check = new QuickCheck(t.config, t.store, t.ingester, clock, KEPT);
      assertEquals(6, check.fullRescan(Instant.MAX, young -> { }).added());

      assertEquals(KEPT, check.look().filesChecked());

      rewriteInPlace(files.get(5), TestRoot.NOW.minusSeconds(600));
      rewriteInPlace(files.get(0), TestRoot.NOW.minusSeconds(3600));
      QuickCheck.Look look = check.look();
      assertEquals(KEPT, look.filesChecked());
      assertEquals(List.of(files.get(5)), look.changed().stream().map(QuickCheck.Found::path).toList(),
          "the newest report rewritten is found; the oldest is not looked at");
      assertEquals(2, check.fullRescan(Instant.MAX, young -> { }).updated(), "the full rescan finds both");
    }
  }

  private static void rewriteInPlace(Path file, Instant taken) throws IOException {
    Files.writeString(file, ReportText.critical(taken), UTF_8);
    Files.setLastModifiedTime(file, FileTime.from(TestRoot.NOW.minusSeconds(1)));
  }
}
