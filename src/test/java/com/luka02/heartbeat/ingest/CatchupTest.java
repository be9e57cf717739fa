package com.luka02.heartbeat.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.luka02.heartbeat.report.Heartbeat;
import com.luka02.heartbeat.report.ReportFormatException;
import com.luka02.heartbeat.report.ReportParser;
import com.luka02.heartbeat.store.StagedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Catch-up over real files and a real DuckDB file: one row per report, whatever happens to the files. */
class CatchupTest {

  @TempDir Path root;
  private TestRoot t;
  private Path ops;

  @BeforeEach
  void open() throws IOException {
    t = TestRoot.open(root);
    ops = t.opsAtomic();
    Reports.copyAll("heartbeats-real", ops);
  }

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void catchupTwiceStagesNothingTheSecondTime() throws IOException {
    CatchupResult first = t.catchup();
    CatchupResult second = t.catchup();

    assertEquals(List.of(7L, 0L, 0L, 0L), TestRoot.counts(first));
    assertEquals(List.of(0L, 0L, 7L, 0L), TestRoot.counts(second));
    assertEquals(7, t.count("heartbeats"));
  }

  @Test
  void unchangedFileIsNotRead() throws IOException {
    t.catchup();
    Reports.editKeepingSizeAndMtime(ops.resolve(Reports.HEALTHY), "65ms", "99ms");

    CatchupResult again = t.catchup();

    assertEquals(List.of(0L, 0L, 7L, 0L), TestRoot.counts(again));
    assertEquals(65, t.value("SELECT duration_ms FROM heartbeats WHERE filename = '" + Reports.HEALTHY + "'"));
  }

  @Test
  void movedFileStaysOneRow() throws IOException {
    t.catchup();
    Path archive = Files.createDirectories(t.config.reportsDir().resolve("archive"));
    Files.move(ops.resolve(Reports.HEALTHY), archive.resolve(Reports.HEALTHY));

    CatchupResult again = t.catchup();

    assertEquals(List.of(0L, 0L, 7L, 0L), TestRoot.counts(again));
    assertEquals(1, again.forgotten());
    assertEquals(7, t.count("heartbeats"));
    assertEquals(1L, t.value(Reports.HEALTHY_ROW));
  }

  @Test
  void touchedFileStaysOneRow() throws IOException {
    t.catchup();
    Path file = ops.resolve(Reports.HEALTHY);
    Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 3_600_000));

    CatchupResult again = t.catchup();

    assertEquals(List.of(0L, 0L, 7L, 0L), TestRoot.counts(again));
    assertEquals(7, t.count("heartbeats"));
  }

  @Test
  void conflictCopyWithTheSameBytesIsOneRow() throws IOException {
    Files.copy(ops.resolve(Reports.HEALTHY), ops.resolve("heartbeat_2025-10-27_21-40-31 2.md"));

    CatchupResult result = t.catchup();

    assertEquals(List.of(7L, 0L, 1L, 0L), TestRoot.counts(result));
    assertEquals(1L, t.value(Reports.HEALTHY_ROW));
    assertEquals(Reports.HEALTHY, t.value("SELECT filename FROM heartbeats WHERE \"timestamp\" = TIMESTAMPTZ '"
        + Reports.HEALTHY_TS + "'"));
  }

  @Test
  void conflictCopyAppearingLaterIsOneRow() throws IOException {
    t.catchup();
    Files.copy(ops.resolve(Reports.HEALTHY), ops.resolve("heartbeat_2025-10-27_21-40-31 2.md"));

    CatchupResult again = t.catchup();

    assertEquals(List.of(0L, 0L, 8L, 0L), TestRoot.counts(again));
    assertEquals(1L, t.value(Reports.HEALTHY_ROW));
  }

  @Test
  void duplicatedTreeIsOneRowPerReport() throws IOException {
    copyTree(ops, t.config.reportsDir().resolve("g/g/reports/ops_atomic"));

    CatchupResult result = t.catchup();

    assertEquals(14, result.scanned());
    assertEquals(List.of(7L, 0L, 7L, 0L), TestRoot.counts(result));
    assertEquals(7, t.count("heartbeats"));
    assertEquals(7L, t.value("SELECT count(DISTINCT \"timestamp\") FROM heartbeats"));
  }

  @Test
  void duplicatedTreeIsRecordedAsSeen() throws IOException {
    copyTree(ops, t.config.reportsDir().resolve("g/g/reports/ops_atomic"));
    t.catchup();

    CatchupResult again = t.catchup();

    assertEquals(List.of(0L, 0L, 14L, 0L), TestRoot.counts(again));
    assertEquals(14, t.count("seen_files"));
  }

  @Test
  void rewrittenFileReplacesItsRow() throws IOException {
    Path file = ops.resolve(Reports.HEALTHY);
    t.catchup();
    Reports.rewrite(file, Files.readString(file).replace("\u2705 HEALTHY", "\u274C CRITICAL"));

    CatchupResult again = t.catchup();

    assertEquals(List.of(0L, 1L, 6L, 0L), TestRoot.counts(again));
    assertEquals("error", t.value("SELECT status FROM heartbeats WHERE filename = '" + Reports.HEALTHY + "'"));
    assertEquals(7, t.count("heartbeats"));
  }

  @Test
  void fileRewrittenAsAnotherReportReplacesItsOldRow() throws IOException {
    Path file = ops.resolve(Reports.HEALTHY);
    t.catchup();
    Reports.rewrite(file, Files.readString(file).replace(Reports.HEALTHY_TS, "2025-10-27T21:45:32.101Z"));

    CatchupResult again = t.catchup();

    assertEquals(List.of(1L, 0L, 6L, 0L), TestRoot.counts(again));
    assertEquals(0L, t.value(Reports.HEALTHY_ROW));
    assertEquals(1L, t.value(Reports.HEALTHY_ROW.replace(Reports.HEALTHY_TS, "2025-10-27T21:45:32.101Z")));
    assertEquals(7, t.count("heartbeats"));
  }

  @Test
  void nonHeartbeatNeighboursNeverBecomeRows() throws IOException {
    Reports.copyAll("not-heartbeats", t.config.reportsDir());
    Reports.copyAll("not-heartbeats", ops);

    CatchupResult result = t.catchup();

    assertEquals(4, result.ignored());
    assertEquals(7, t.count("heartbeats"));
    assertEquals(7, t.count("seen_files"));
    assertEquals(0, t.count("quarantine"));
  }

  @Test
  void summaryFolderIsNeverStaged() throws IOException {
    Reports.write(t.config.summaryDir().resolve("heartbeat_2025-11-20_00-00-00.md"),
        Reports.realText(Reports.HEALTHY).replace(Reports.HEALTHY_TS, "2025-11-20T00:00:00.000Z"));

    CatchupResult result = t.catchup();

    assertEquals(7, result.scanned());
    assertEquals(7, t.count("heartbeats"));
    assertEquals(0L, t.value("SELECT count(*) FROM seen_files WHERE path LIKE 'g/reports/parquet/%'"));
  }

  @Test
  void sinceLimitsTheCatchupToLaterDays() throws IOException {
    CatchupResult result = t.catchup(new CatchupOptions(LocalDate.parse("2025-10-29"), false, false));

    assertEquals(List.of(2L, 0L, 0L, 0L), TestRoot.counts(result));
    assertEquals(List.of(List.of("heartbeat_2025-10-29_11-30-51.md"), List.of("heartbeat_2025-11-13_06-11-35.md")),
        t.rows("SELECT filename FROM heartbeats ORDER BY filename"));
  }

  @Test
  void dryRunWritesNothing() throws IOException {
    Reports.write(ops.resolve("heartbeat_2025-10-27_22-00-00.md"),
        Reports.realText(Reports.HEALTHY).replace(Reports.HEALTHY_TS, "2025-10-27T22:00:0"));

    CatchupResult result = t.catchup(new CatchupOptions(null, false, true));

    assertEquals(List.of(7L, 0L, 0L, 1L), TestRoot.counts(result));
    assertEquals(List.of(0L, 0L, 0L), List.of(t.count("heartbeats"), t.count("seen_files"), t.count("quarantine")));
  }

  @Test
  void reparseReadsFilesThatLookUnchanged() throws IOException {
    t.catchup();
    Reports.editKeepingSizeAndMtime(ops.resolve(Reports.HEALTHY), "65ms", "99ms");

    CatchupResult again = t.catchup(new CatchupOptions(null, true, false));

    assertEquals(99, t.value("SELECT duration_ms FROM heartbeats WHERE filename = '" + Reports.HEALTHY + "'"));
    assertEquals(List.of(0L, 7L, 0L, 0L), TestRoot.counts(again));
  }

  @Test
  void reparseRewritesRowsAnOlderParserWrote() throws IOException {
    Path file = ops.resolve(Reports.CRITICAL);
    stageAsAnOlderParserDid(file);
    t.catchup();
    assertNull(databaseStatus(Reports.CRITICAL), "plain catch-up leaves an unchanged file's row alone");

    t.catchup(new CatchupOptions(null, true, false));

    assertEquals("error", databaseStatus(Reports.CRITICAL));
  }

  /** Stages {@code file} as a parser that found no checks would have: same bytes, a poorer row. */
  private void stageAsAnOlderParserDid(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    Heartbeat h;
    try {
      h = ReportParser.parse(bytes);
    } catch (ReportFormatException e) {
      throw new IllegalStateException(file + " is a real report and must parse", e);
    }
    Heartbeat poorer = new Heartbeat(h.timestamp(), h.status(), h.durationMs(), List.of(), h.summary(), true);
    StagedFile staged = new StagedFile(t.config.relative(file), bytes.length,
        Files.getLastModifiedTime(file).toMillis(), ReportFiles.sha256(bytes), poorer,
        LocalDate.ofInstant(h.timestamp(), t.config.zone()));
    t.store.stage(List.of(staged), List.of(), TestRoot.NOW, false);
  }

  private Object databaseStatus(String fileName) {
    return t.value("SELECT database_status FROM heartbeats WHERE filename = '" + fileName + "'");
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName().toString()), StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
  }
}
