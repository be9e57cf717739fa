package com.luka02.heartbeat.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.ingest.QuickCheck;
import com.luka02.heartbeat.store.StagedFile;
import com.luka02.heartbeat.fixtures.ReportText;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file event lost: a real agent on real files with its watcher switched off, so that only the
 * periodic checks can find anything. The quick check finds what a lost event hides (a new file, a file
 * in a new folder, a recent file rewritten in place) without walking the tree; the full rescan finds
 * the rest.
 */
class LostEventsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  /** Reports of today, as the monitor writes them: recent by name and by mtime. */
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  @TempDir Path root;
  private Config config;
  private Agent agent;
  private final BlockingQueue<String> staged = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() throws Exception {
    Path cfg = root.resolve("config.json");
    Files.writeString(cfg, "{\"settleMillis\": 50, \"incompleteGraceMillis\": 1000, \"zone\": \"UTC\", \"retentionDays\": 0}");
    config = ConfigLoader.load(root, cfg);
    // History the start-up rescan stages, each file written when its name says; the quick check must
    // not need to look at it again.
    for (int i = 1; i <= 50; i++) {
      Instant t = NOW.minus(Duration.ofDays(200)).plusSeconds(300L * i);
      Files.setLastModifiedTime(ReportText.write(opsAtomic(), t), FileTime.from(t));
    }
    Path recent = ReportText.write(opsAtomic(), NOW.minusSeconds(3600));
    Files.createDirectories(config.summaryDir()); // the start-up rollover writes its summaries there
    for (Path p : new Path[] {recent, opsAtomic(), config.reportsDir()}) {
      Files.setLastModifiedTime(p, FileTime.from(NOW.minusSeconds(3600)));
    }
    agent = Agent.start(config, Clock.systemUTC(), 0, false);
    agent.addStageListener((files, bad, counts) -> files.stream().map(StagedFile::path).forEach(staged::add));
    assertEquals(51, rows());
  }

  @AfterEach
  void stop() {
    agent.close();
  }

  private Path opsAtomic() {
    return root.resolve("g/reports/ops_atomic");
  }

  private long rows() {
    return ((Number) agent.query("SELECT count(*) FROM heartbeats").rows().get(0).get(0)).longValue();
  }

  private String nextStaged() throws InterruptedException {
    String path = staged.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertNotNull(path, "nothing was staged within " + WAIT);
    return path;
  }

  @Test
  void newFileIsStagedByTheQuickCheck() throws Exception {
    ReportText.write(opsAtomic(), NOW);

    QuickCheck.Look look = agent.checkNow();

    assertEquals("g/reports/ops_atomic/" + ReportText.name(NOW), nextStaged());
    assertEquals(1, look.changed().size());
    // One folder changed: the reports folder itself was only stat'ed.
    assertEquals(1, look.foldersListed());
    assertEquals(52, rows());
  }

  @Test
  void fileInNewSubfolderIsStagedByTheQuickCheck() throws Exception {
    Path sub = opsAtomic().resolve("2026/11");
    // Named for long ago: everything in a folder new to the check is looked at, whatever its name.
    Instant old = NOW.minus(Duration.ofDays(300));
    ReportText.write(sub, old);

    QuickCheck.Look look = agent.checkNow();

    assertEquals("g/reports/ops_atomic/2026/11/" + ReportText.name(old), nextStaged());
    assertEquals(1, look.changed().size());
  }

  @Test
  void recentFileRewrittenInPlaceIsRestagedByTheQuickCheck() throws Exception {
    Path file = opsAtomic().resolve(ReportText.name(NOW.minusSeconds(3600)));
    agent.checkNow(); // confirms the file as staged
    FileTime folderMtime = Files.getLastModifiedTime(opsAtomic());
    Files.writeString(file, ReportText.critical(NOW.minusSeconds(3600)), StandardCharsets.UTF_8);
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(2)));
    assertEquals(folderMtime, Files.getLastModifiedTime(opsAtomic()), "an in-place write leaves the folder as it was");

    QuickCheck.Look look = agent.checkNow();

    assertEquals("g/reports/ops_atomic/" + ReportText.name(NOW.minusSeconds(3600)), nextStaged());
    assertEquals(0, look.foldersListed());
    assertEquals("error", agent.query("SELECT status FROM heartbeats WHERE \"timestamp\" = '"
        + NOW.minusSeconds(3600) + "'").rows().get(0).get(0));
  }

  @Test
  void oldReportCopiedIntoAnOldFolderIsLeftToTheFullRescan() throws Exception {
    Instant old = NOW.minus(Duration.ofDays(100));
    ReportText.write(opsAtomic(), old);

    QuickCheck.Look look = agent.checkNow();
    assertEquals(0, look.changed().size(), "the quick check compares only recently named reports");
    assertNull(staged.poll(300, TimeUnit.MILLISECONDS));

    agent.fullRescanNow();
    assertEquals("g/reports/ops_atomic/" + ReportText.name(old), nextStaged());
    assertEquals(52, rows());
  }

  @Test
  void quietTreeCostsTheQuickCheckNoListingAndNoRead() throws Exception {
    agent.checkNow(); // the first look confirms the recent files with the store
    QuickCheck.Look look = agent.checkNow();

    assertEquals(0, look.foldersListed());
    assertEquals(1, look.filesChecked(), "only the report of the last hours is re-stat'ed");
    assertEquals(0, look.changed().size());
  }

  @Test
  void fileNoEventReportedIsCountedAsLostAndRescanned() throws Exception {
    Path file = ReportText.write(opsAtomic(), NOW.minusSeconds(600));
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60)));

    assertEquals(1, agent.checkNow().changed().size());

    assertEquals("g/reports/ops_atomic/" + ReportText.name(NOW.minusSeconds(600)), nextStaged());
    String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + agent.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    assertTrue(metrics.contains("heartbeat_watcher_lost_events_total 1.0"), metrics);
  }
}
