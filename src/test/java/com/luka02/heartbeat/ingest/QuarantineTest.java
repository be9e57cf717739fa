package com.luka02.heartbeat.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Heartbeat-named files that cannot become rows: quarantined with the reason, or ignored, never blocking. */
class QuarantineTest {
  /** Only a guard against a hang; a catch-up here takes well under a second. */
  private static final Duration HANG_GUARD = Duration.ofSeconds(30);
  private static final String MALFORMED = "heartbeat_2026-03-02_08-25-27.md";
  private static final String BAD_TS = "2025-10-27T21:4X:31.871Z";

  @TempDir Path root;
  @TempDir Path outside;
  private TestRoot t;
  private Path ops;

  @BeforeEach
  void open() {
    t = TestRoot.open(root);
    ops = t.opsAtomic();
  }

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void malformedFileIsQuarantinedWithLineAndExpectation() throws IOException {
    Files.createDirectories(ops);
    Files.copy(Path.of("samples", MALFORMED), ops.resolve(MALFORMED));

    CatchupResult result = t.catchup();

    assertEquals(List.of(0L, 0L, 0L, 1L), TestRoot.counts(result));
    assertEquals(List.of(List.of("g/reports/ops_atomic/" + MALFORMED, 3,
            "line 3: expected '**Timestamp:**' to be an ISO-8601 instant such as 2025-10-28T14:06:52.941Z,"
                + " found '2026-03-02T08:25:2'",
            true)),
        t.rows("SELECT path, line, reason, seen_at = TIMESTAMPTZ '" + TestRoot.NOW + "' FROM quarantine"));
  }

  @Test
  void excerptIsBounded() throws IOException {
    String big = Reports.realText(Reports.HEALTHY).replace(Reports.HEALTHY_TS, BAD_TS) + "padding line\n".repeat(2000);
    Reports.write(ops.resolve(Reports.HEALTHY), big);

    t.catchup();

    assertEquals(List.of(List.of(true, true)), t.rows("SELECT length(excerpt) BETWEEN 2000 AND 2048,"
        + " starts_with(excerpt, '# OPS-Atomic Monitor Heartbeat') FROM quarantine"));
  }

  @Test
  void excerptCutInsideAnEmojiStillQuarantines() throws IOException {
    String head = Reports.realText(Reports.HEALTHY).replace(Reports.HEALTHY_TS, BAD_TS);
    Reports.write(ops.resolve(Reports.HEALTHY), head + "x".repeat(2047 - head.length()) + "\uD83D\uDFE2 and more\n");

    t.catchup();

    assertEquals(1, t.count("quarantine"));
  }

  @Test
  void otherFilesKeepFlowingPastAMalformedOne() throws IOException {
    Reports.copyAll("heartbeats-real", ops);
    Files.copy(Path.of("samples", MALFORMED), ops.resolve(MALFORMED));

    CatchupResult result = t.catchup();

    assertEquals(List.of(7L, 0L, 0L, 1L), TestRoot.counts(result));
    assertEquals(7, t.count("heartbeats"));
    assertEquals(1, t.count("quarantine"));
  }

  @Test
  void fixedFileLeavesQuarantineAndStages() throws IOException {
    String good = Reports.realText(Reports.HEALTHY);
    Path file = Reports.write(ops.resolve(Reports.HEALTHY), good.replace(Reports.HEALTHY_TS, BAD_TS));
    t.catchup();
    Reports.rewrite(file, good);

    CatchupResult again = t.catchup();

    assertEquals(List.of(1L, 0L, 0L, 0L), TestRoot.counts(again));
    assertEquals(0, t.count("quarantine"));
    assertEquals("ok", t.value("SELECT status FROM heartbeats"));
  }

  @Test
  void reparseRetriesAQuarantinedFile() throws IOException {
    String good = Reports.realText(Reports.HEALTHY);
    Path file = Reports.write(ops.resolve(Reports.HEALTHY), good.replace(Reports.HEALTHY_TS, BAD_TS));
    t.catchup();
    Reports.editKeepingSizeAndMtime(file, BAD_TS, Reports.HEALTHY_TS);
    assertEquals(List.of(0L, 0L, 1L, 0L), TestRoot.counts(t.catchup()), "looks unchanged: not retried");

    CatchupResult reparsed = t.catchup(new CatchupOptions(null, true, false));

    assertEquals(List.of(1L, 0L, 0L, 0L), TestRoot.counts(reparsed));
    assertEquals(0, t.count("quarantine"));
  }

  @Test
  void fileOverMaxFileBytesIsQuarantinedUnread() throws IOException {
    t.close();
    t = TestRoot.open(root, "{\"maxFileBytes\": 4096}");
    String report = Reports.realText(Reports.HEALTHY) + "\n".repeat(10 * 1024);
    Reports.write(ops.resolve(Reports.HEALTHY), report);

    t.catchup();

    assertEquals(0, t.count("heartbeats"));
    List<Object> q = t.rows("SELECT reason, content_hash, excerpt FROM quarantine").get(0);
    assertEquals("too large: expected a report of at most 4096 bytes (maxFileBytes), found "
        + report.getBytes(StandardCharsets.UTF_8).length
        + " bytes; not read", q.get(0));
    assertEquals(Arrays.asList(null, null), q.subList(1, 3), "nothing was read: no hash, no excerpt");
  }

  @Test
  void directoryNamedLikeAHeartbeatIsIgnored() throws IOException {
    Reports.copyReal(Reports.HEALTHY, ops);
    Files.createDirectories(ops.resolve("heartbeat_x.md"));

    t.catchup();

    assertEquals(List.of(1L, 0L, 1L), List.of(t.count("heartbeats"), t.count("quarantine"), t.count("seen_files")));
  }

  @Test
  void symlinkToAReportOutsideTheRootIsIgnored() throws IOException {
    Path elsewhere = Reports.copyReal(Reports.HEALTHY, outside);
    Files.createDirectories(ops);
    Files.createSymbolicLink(ops.resolve(Reports.HEALTHY), elsewhere);

    CatchupResult result = t.catchup();

    assertEquals(1, result.ignored());
    assertEquals(List.of(0L, 0L, 0L), List.of(t.count("heartbeats"), t.count("quarantine"), t.count("seen_files")));
  }

  @Test
  void symlinkLoopIsNotFollowed() throws IOException {
    Reports.copyReal(Reports.HEALTHY, ops);
    Files.createSymbolicLink(ops.resolve("loop"), t.config.reportsDir());

    CatchupResult result = assertTimeoutPreemptively(HANG_GUARD, () -> t.catchup());

    assertEquals(1, result.scanned());
    assertEquals(List.of(1L, 0L), List.of(t.count("heartbeats"), t.count("quarantine")));
  }

  @Test
  void fifoDoesNotBlockCatchup() throws IOException, InterruptedException {
    Reports.copyReal(Reports.HEALTHY, ops);
    mkfifo(ops.resolve("heartbeat_y.md"));

    CatchupResult result = assertTimeoutPreemptively(HANG_GUARD, () -> t.catchup());

    assertEquals(1, result.ignored());
    assertEquals(List.of(1L, 0L, 1L), List.of(t.count("heartbeats"), t.count("quarantine"), t.count("seen_files")));
  }

  @Test
  void fifoHandedOverByTheWatcherIsIgnored() throws IOException, InterruptedException {
    Path fifo = mkfifo(ops.resolve("heartbeat_y.md"));

    Map<Path, Outcome> outcomes = assertTimeoutPreemptively(HANG_GUARD, () -> t.ingester.ingest(List.of(fifo), true));

    assertInstanceOf(Outcome.Ignored.class, outcomes.get(fifo));
    assertEquals(0, t.count("quarantine"));
  }

  private static Path mkfifo(Path path) throws IOException, InterruptedException {
    Files.createDirectories(path.getParent());
    Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("mkfifo " + path + " failed");
    }
    return path;
  }
}
