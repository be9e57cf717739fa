package com.luka02.heartbeat.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.testing.LiveAgent;
import com.luka02.heartbeat.fixtures.ReportText;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent and watcher when the file system misbehaves: the reports folder deleted and made
 * again, and a burst of files faster than events can be delivered. The periodic check is five minutes
 * away in these tests, so whatever is staged within the wait came from events or from the rescan that
 * lost events trigger.
 */
class WatcherFaultsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  @TempDir Path root;
  private Config config;
  private Agent agent;
  private BlockingQueue<String> staged;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws IOException {
    LiveAgent live = LiveAgent.start(root, "{\"settleMillis\": 50, \"incompleteGraceMillis\": 1000, \"zone\": \"UTC\", \"retentionDays\": 0}");
    config = live.config();
    agent = live.agent();
    staged = live.staged();
  }

  @AfterEach
  void stop() {
    agent.close();
  }

  private int health() throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + "/health")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private String nextStaged() throws InterruptedException {
    String path = staged.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertTrue(path != null, "nothing was staged within " + WAIT);
    return path;
  }

  @Test
  void reportsFolderDeletedAndMadeAgainIsWatchedAgain() throws Exception {
    Path reports = config.reportsDir();
    try (var all = Files.walk(reports)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    assertEquals(503, health(), "the folder is missing");

    Files.createDirectories(reports);
    ReportText.write(reports, T0); // before or after the re-arm: the rescan that follows it stages this one
    assertEquals("g/reports/" + ReportText.name(T0), nextStaged());
    // The watch is back by now; only an event stages this one within the wait.
    ReportText.write(reports, T0.plusSeconds(300));
    assertEquals("g/reports/" + ReportText.name(T0.plusSeconds(300)), nextStaged());
    assertEquals(200, health());
  }

  @Test
  void burstFasterThanEventsIsStagedWhole() throws Exception {
    int files = 2000;
    Set<String> seen = ConcurrentHashMap.newKeySet();
    CountDownLatch all = new CountDownLatch(files);
    agent.addStageListener((staged, bad, counts) -> staged.forEach(f -> {
      if (seen.add(f.path())) {
        all.countDown();
      }
    }));
    for (int i = 0; i < files; i++) {
      ReportText.write(config.reportsDir(), T0.minus(Duration.ofDays(30)).plusSeconds(300L * i));
    }

    assertTrue(all.await(90, TimeUnit.SECONDS), (files - all.getCount()) + " of " + files + " staged");
    assertEquals(files, ((Number) agent.query("SELECT count(*) FROM heartbeats").rows().get(0).get(0)).intValue());
  }
}
