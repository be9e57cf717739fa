package com.luka02.heartbeat.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.testing.TestReports;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
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
  private Path disk;
  private boolean mounted;
  private Agent agent;
  private final BlockingQueue<String> staged = new LinkedBlockingQueue<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void mountSmallDisk() throws Exception {
    assumeTrue(System.getProperty("os.name").startsWith("Linux"), "tmpfs mounts are Linux only");
    disk = Files.createDirectories(root.resolve("disk"));
    mounted = run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", disk.toString()) == 0;
    assumeTrue(mounted, "mounting a tmpfs is not permitted here");
  }

  @AfterEach
  void stopAndUnmount() throws Exception {
    if (agent != null) {
      agent.close();
    }
    if (mounted) {
      run("umount", disk.toString());
    }
  }

  private static int run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().transferTo(OutputStream.nullOutputStream());
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  /** Writes until the disk refuses; returns the file to delete to free the space again. */
  private Path fill() throws IOException {
    Path filler = disk.resolve("filler");
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException expected) {
      // "No space left on device": the disk is full
    }
    return filler;
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
    Path cfg = root.resolve("config.json");
    Files.writeString(cfg, "{\"stagingDb\": \"" + disk.resolve("staging.duckdb") + "\", \"settleMillis\": 50,"
        + " \"zone\": \"UTC\", \"port\": 0}");
    Config config = ConfigLoader.load(root, cfg);
    Files.createDirectories(config.reportsDir());
    agent = Agent.start(config, Clock.systemUTC(), 0);
    agent.addStageListener((files, bad, counts) -> files.forEach(f -> staged.add(f.path())));
    TestReports.write(config.reportsDir(), T0);
    assertNotNull(staged.poll(20, TimeUnit.SECONDS), "the first report was not staged");

    Path filler = fill();
    Path second = TestReports.write(config.reportsDir(), T0.plusSeconds(300));
    assertTrue(healthBecomes(503, Duration.ofSeconds(20)), "/health says staging fails while the disk is full");

    Files.delete(filler);
    String next = staged.poll(90, TimeUnit.SECONDS);
    assertNotNull(next, "the refused report was staged again once space was back");
    assertTrue(next.endsWith(second.getFileName().toString()), next);
    assertTrue(healthBecomes(200, Duration.ofSeconds(10)), "/health is 200 again");
    assertEquals(2L, ((Number) agent.query("SELECT count(*) FROM heartbeats").rows().get(0).get(0)).longValue());

    agent.close();
    assertEquals(List.of(), openFilesOn(disk), "nothing the failed writes opened is left open");
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
