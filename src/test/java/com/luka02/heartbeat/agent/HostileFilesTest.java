package com.luka02.heartbeat.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.ingest.CatchupOptions;
import com.luka02.heartbeat.ingest.CatchupResult;
import com.luka02.heartbeat.store.StagedFile;
import com.luka02.heartbeat.fixtures.ReportText;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every hostile thing a reports tree can hold, dropped into a running agent's tree at once: each is
 * staged correctly, quarantined with a reason, or ignored, and a good report behind them still flows.
 */
class HostileFilesTest {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00.123Z");

  @TempDir Path root;
  private Config config;
  private Agent agent;
  private final BlockingQueue<String> staged = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() throws IOException {
    Files.writeString(root.resolve("config.json"),
        "{\"settleMillis\": 50, \"incompleteGraceMillis\": 300, \"zone\": \"UTC\", \"maxFileBytes\": 1048576}");
    config = ConfigLoader.load(root, root.resolve("config.json"));
    agent = Agent.start(config, Clock.systemUTC(), 0);
    agent.addStageListener((files, bad, counts) -> files.stream().map(StagedFile::path).forEach(staged::add));
  }

  @AfterEach
  void stop() {
    agent.close();
  }

  private Path file(String name) {
    return config.reportsDir().resolve(name);
  }

  private String good(Instant t) {
    return ReportText.healthy(t);
  }

  private void plantHostileTree() throws Exception {
    Path dir = config.reportsDir();
    Files.createDirectories(dir);
    Files.write(file("heartbeat_empty.md"), new byte[0]);
    Files.writeString(file("heartbeat_blank.md"), "  \n\t\n   \n");
    byte[] noise = new byte[4096];
    new Random(42).nextBytes(noise);
    Files.write(file("heartbeat_binary.md"), noise);
    byte[] bad = good(T0.plusSeconds(10)).getBytes(StandardCharsets.UTF_8);
    bad[40] = (byte) 0xC3;
    bad[41] = (byte) 0x28;
    Files.write(file("heartbeat_badutf8.md"), bad);
    Files.write(file("heartbeat_2026-11-20_10-01-00.md"),
        concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, good(T0.plusSeconds(60)).getBytes(StandardCharsets.UTF_8)));
    Files.writeString(file("heartbeat_2026-11-20_10-02-00.md"), good(T0.plusSeconds(120)).replace("\n", "\r\n"));
    String cut = good(T0.plusSeconds(180));
    Files.writeString(file("heartbeat_cut.md"), cut.substring(0, cut.indexOf("**Status:**") + 5));
    try (OutputStream out = Files.newOutputStream(file("heartbeat_huge.md"))) {
      byte[] mb = new byte[1024 * 1024];
      java.util.Arrays.fill(mb, (byte) 'x');
      for (int i = 0; i < 20; i++) {
        out.write(mb);
      }
    }
    Files.writeString(file("heartbeat_notime.md"), good(T0).replaceAll("\\*\\*Timestamp:\\*\\*.*\n", ""));
    Files.writeString(file("heartbeat_badtime.md"), good(T0).replace("2026-11-20T10:00:00.123Z", "2026-13-45T99:00:00Z"));
    Files.writeString(file("heartbeat_future.md"), good(T0).replace("2026-11-20T10:00:00.123Z", "2031-01-01T00:00:00.000Z"));
    String reordered = good(T0.plusSeconds(240));
    String redis = reordered.substring(reordered.indexOf("### Redis"), reordered.indexOf("### Database"));
    reordered = reordered.replace(redis, "") .replace("### LaunchAgents", redis + "### LaunchAgents" ) + "";
    reordered = reordered.replace("### API Endpoints", "### Redis\n\n- **Status:** \u274C Redis not responding\n\n### API Endpoints");
    Files.writeString(file("heartbeat_2026-11-20_10-04-00.md"), reordered);
    Files.writeString(file("heartbeat_2026-11-20_10-05-00.md"), good(T0.plusSeconds(300))
        .replace("### LaunchAgents", "### Disk\n\n- **Free Space:** \u26A0\uFE0F 5% free\n\n### LaunchAgents"));
    Files.createDirectories(file("heartbeat_x.md"));
    new ProcessBuilder("mkfifo", file("heartbeat_fifo.md").toString()).start().waitFor(10, TimeUnit.SECONDS);
    Path outside = Files.writeString(root.resolve("outside-secret.md"), good(T0.plusSeconds(360)));
    Files.createSymbolicLink(file("heartbeat_link.md"), outside);
    Files.createDirectories(dir.resolve("loop"));
    Files.createSymbolicLink(dir.resolve("loop/up"), dir);
    Files.createSymbolicLink(dir.resolve("loop/self"), dir.resolve("loop"));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void hostileTreeNeverStopsGoodReportsFromFlowing() throws Exception {
    plantHostileTree();
    Path marker = ReportText.write(config.reportsDir().resolve("later"), T0.plusSeconds(3600));

    String last;
    do {
      last = staged.poll(30, TimeUnit.SECONDS);
      assertNotNull(last, "the good report behind the hostile files was never staged");
    } while (!last.endsWith(marker.getFileName().toString()));
    CatchupResult again = agent.catchup(CatchupOptions.FULL);

    Map<String, Object> rows = column("SELECT filename, status FROM heartbeats ORDER BY filename");
    assertEquals("ok", rows.get("heartbeat_2026-11-20_10-01-00.md"), "UTF-8 BOM is staged");
    assertEquals("ok", rows.get("heartbeat_2026-11-20_10-02-00.md"), "CRLF is staged");
    assertEquals("ok", rows.get("heartbeat_2026-11-20_10-04-00.md"), "reordered and repeated sections are staged");
    assertEquals("ok", rows.get("heartbeat_2026-11-20_10-05-00.md"), "an unknown check is staged");
    assertEquals(5, rows.size(), "rows: " + rows);
    Map<String, Object> quarantined = column("SELECT regexp_extract(path, '[^/]+$'), reason FROM quarantine");
    for (String name : List.of("heartbeat_empty.md", "heartbeat_blank.md", "heartbeat_binary.md", "heartbeat_badutf8.md",
        "heartbeat_cut.md", "heartbeat_huge.md", "heartbeat_notime.md", "heartbeat_badtime.md", "heartbeat_future.md")) {
      assertTrue(quarantined.containsKey(name), name + " not quarantined: " + quarantined);
      assertTrue(String.valueOf(quarantined.get(name)).contains("expected") || String.valueOf(quarantined.get(name)).contains("too large"),
          name + ": " + quarantined.get(name));
    }
    assertEquals(9, quarantined.size(), "links, folders and FIFOs are never read: " + quarantined);
    assertEquals(0, again.added() + again.updated(), "a second look changes nothing");
  }

  @Test
  void unknownCheckIsKeptInTheChecksColumn() throws Exception {
    Files.createDirectories(config.reportsDir());
    Files.writeString(file("heartbeat_2026-11-20_10-05-00.md"), good(T0)
        .replace("### LaunchAgents", "### Disk\n\n- **Free Space:** \u26A0\uFE0F 5% free\n\n### LaunchAgents"));
    staged.poll(30, TimeUnit.SECONDS);

    Object disk = agent.query("SELECT c.status FROM (SELECT unnest(from_json(checks, "
        + "'[{\"section\":\"VARCHAR\",\"label\":\"VARCHAR\",\"status\":\"VARCHAR\",\"message\":\"VARCHAR\"}]')) AS c "
        + "FROM heartbeats) WHERE c.section = 'Disk'").rows().get(0).get(0);

    assertEquals("warn", disk);
  }

  @Test
  void fileDeletedBeforeItIsReadLeavesNoTrace() throws Exception {
    Path doomed = ReportText.write(config.reportsDir(), T0);
    Files.delete(doomed);
    Path survivor = ReportText.write(config.reportsDir(), T0.plusSeconds(300));

    assertEquals("g/reports/" + survivor.getFileName(), staged.poll(30, TimeUnit.SECONDS));
    assertEquals(0L, count("SELECT count(*) FROM quarantine"));
    assertEquals(1L, count("SELECT count(*) FROM heartbeats"));
  }

  @Test
  void fileReplacedAfterStagingIsStagedAgainWithItsNewContent() throws Exception {
    Path file = ReportText.write(config.reportsDir(), T0);
    staged.poll(30, TimeUnit.SECONDS);
    Path replacement = Files.writeString(root.resolve("replacement.md"), ReportText.critical(T0));
    Files.move(replacement, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertNotNull(staged.poll(30, TimeUnit.SECONDS));
    assertEquals("error", agent.query("SELECT status FROM heartbeats").rows().get(0).get(0));
    assertEquals(1L, count("SELECT count(*) FROM heartbeats"));
  }

  @Test
  void credentialsPastedIntoMessagesAreRedactedBeforeStaging() throws Exception {
    Files.createDirectories(config.reportsDir());
    Files.writeString(file(ReportText.name(T0)), ReportText.report(T0, "error",
        "\u274C Redis not responding: Command failed: redis-cli -h 127.0.0.1 -a Sup3rSecret ping", "\u2705 ok"));
    staged.poll(30, TimeUnit.SECONDS);

    String checks = String.valueOf(agent.query("SELECT checks FROM heartbeats").rows().get(0).get(0));

    assertTrue(checks.contains("-a [REDACTED]"), checks);
    assertTrue(!checks.contains("Sup3rSecret"), checks);
  }

  private long count(String sql) {
    return ((Number) agent.query(sql).rows().get(0).get(0)).longValue();
  }

  private Map<String, Object> column(String sql) {
    Map<String, Object> out = new java.util.TreeMap<>();
    for (List<Object> row : agent.query(sql).rows()) {
      out.put(String.valueOf(row.get(0)), row.get(1));
    }
    return out;
  }

}
