package com.luka02.heartbeat.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.testing.LiveAgent;
import com.luka02.heartbeat.testing.SmallDisk;
import com.luka02.heartbeat.fixtures.ReportText;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running agent on a real full disk: its store lives on a small tmpfs that the test fills and
 * frees. A report that could not be staged is staged once space is back, with no new file event and
 * no restart, and {@code /health} says 503 meanwhile. Needs Linux and the right to mount (root in CI).
 */
class FullDiskAgentTest {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  @TempDir Path root;
  private SmallDisk disk;
  private Agent agent;
  private BlockingQueue<String> staged;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void mountSmallDisk() throws Exception {
    disk = SmallDisk.mount(root.resolve("disk"), "8m");
  }

  @AfterEach
  void stopAndUnmount() throws Exception {
    if (agent != null) {
      agent.close();
    }
    if (disk != null) {
      disk.close();
    }
  }

  private int health() throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + "/health")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  /** Polls {@code /health} until it answers {@code code}, for at most {@code limit}. */
  private boolean healthBecomes(int code, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (health() == code) {
        return true;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    return false;
  }

  @Test
  void aReportRefusedByAFullDiskIsStagedOnceSpaceIsFreed_withoutANewEventOrARestart() throws Exception {
    Files.createDirectories(root.resolve("g/reports"));
    LiveAgent live = LiveAgent.start(root, "{\"stagingDb\": \"" + disk.dir().resolve("staging.duckdb") + "\", \"settleMillis\": 50,"
        + " \"zone\": \"UTC\", \"port\": 0}");
    Config config = live.config();
    agent = live.agent();
    staged = live.staged();
    ReportText.write(config.reportsDir(), T0);
    assertNotNull(staged.poll(20, TimeUnit.SECONDS), "the first report was not staged");

    Path filler = disk.fill();
    // Long enough that its write needs new space: one short row can fit in what the log's last page has left.
    Instant t = T0.plusSeconds(300);
    Path second = config.reportsDir().resolve(ReportText.name(t));
    Files.writeString(second, ReportText.report(t, "error", ReportText.OK + " Redis responding",
        ReportText.ERROR + " Database file not found: " + "/var/db/ops.db ".repeat(4_096)), StandardCharsets.UTF_8);
    assertTrue(healthBecomes(503, Duration.ofSeconds(20)), "/health says staging fails while the disk is full");

    Files.delete(filler);
    String next = staged.poll(90, TimeUnit.SECONDS);
    assertNotNull(next, "the refused report was staged again once space was back");
    assertTrue(next.endsWith(second.getFileName().toString()), next);
    assertTrue(healthBecomes(200, Duration.ofSeconds(10)), "/health is 200 again");
    assertEquals(2L, ((Number) agent.query("SELECT count(*) FROM heartbeats").rows().get(0).get(0)).longValue());

    agent.close();
    assertEquals(List.of(), openFilesOn(disk.dir()), "nothing the failed writes opened is left open");
  }

  /** What this process still holds open under {@code dir}, from {@code /proc/self/fd}. */
  private static List<String> openFilesOn(Path dir) throws IOException {
    List<String> open = new ArrayList<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          Path target = Files.readSymbolicLink(fd);
          if (target.startsWith(dir)) {
            open.add(target.toString());
          }
        } catch (IOException gone) {
          // closed while listed
        }
      }
    }
    return open;
  }
}
