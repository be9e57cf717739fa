package com.luka02.heartbeat.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.export.DayResult;
import com.luka02.heartbeat.fixtures.ReportText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reports written just before the agent starts still get their finished days exported at start-up. */
class YoungAtStartTest {
  @TempDir Path root;
  private Agent agent;

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  void finishedDayOfReportsTooYoungAtStartIsExportedOnceTheySettle() throws Exception {
    Path cfg = root.resolve("config.json");
    // Settling takes long enough for the listener below to be in place before anything stages.
    Files.writeString(cfg, "{\"settleMillis\": 700, \"incompleteGraceMillis\": 60000, \"zone\": \"UTC\", \"port\": 0}");
    Config config = ConfigLoader.load(root, cfg);
    // Two days back is finished whatever the time of day (the rollover is at 02:30).
    Instant old = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(2)).plus(Duration.ofHours(12));
    ReportText.write(config.reportsDir(), old);
    ReportText.write(config.reportsDir(), old.plusSeconds(300)); // both modified just now: too young to judge

    BlockingQueue<String> staged = new LinkedBlockingQueue<>();
    agent = Agent.start(config, Clock.systemUTC(), 0);
    agent.addStageListener((files, bad, counts) -> files.forEach(f -> staged.add(f.path())));
    assertNotNull(staged.poll(20, TimeUnit.SECONDS), "the young reports were not staged");

    // The writer runs one task at a time: this plan is made after the settle that staged them.
    List<DayResult> stillDue = agent.rollover(null, true).days();
    assertEquals(List.of(), stillDue, "the finished day was left for the next scheduled rollover");
    Path parquet = config.parquetDir().resolve("ops_atomic_" + old.toString().substring(0, 10).replace("-", "") + ".parquet");
    assertTrue(Files.exists(parquet), parquet + " missing");
  }
}
