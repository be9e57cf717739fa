package com.luka02.heartbeat.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files the watcher hands over: a report new in every respect is appended, every other file goes
 * through the staging rules, and together they give what the rules alone gave.
 */
class SettledIngestTest {
  private static final String COPY = Reports.HEALTHY.replace(".md", " 2.md");

  @TempDir Path root;
  private TestRoot t;
  private Path ops;

  @BeforeEach
  void open() throws IOException {
    t = TestRoot.open(root);
    ops = Files.createDirectories(t.opsAtomic());
  }

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void aReportAndItsConflictCopyInOneBatchAreOneRowFromTheOriginal() throws IOException {
    Path copy = Files.writeString(ops.resolve(COPY), Reports.realText(Reports.HEALTHY), UTF_8);
    Path original = Files.writeString(ops.resolve(Reports.HEALTHY), Reports.realText(Reports.HEALTHY), UTF_8);
    Path other = Files.writeString(ops.resolve(Reports.CRITICAL), Reports.realText(Reports.CRITICAL), UTF_8);

    t.ingester.ingest(List.of(copy, other, original), true);

    assertEquals(2, t.count("heartbeats"));
    assertEquals(1L, t.value(Reports.HEALTHY_ROW));
    assertEquals(Reports.HEALTHY, t.value("SELECT filename FROM heartbeats WHERE \"timestamp\" = TIMESTAMPTZ '"
        + Reports.HEALTHY_TS + "'"));
    assertEquals(3, t.count("seen_files"));
    assertEquals(2L, t.value("SELECT count(*) FROM seen_files WHERE report_ts = TIMESTAMPTZ '" + Reports.HEALTHY_TS
        + "'"));
  }

  @Test
  void aNewFileHoldingAStagedReportWithOtherBytesReplacesItsRowRatherThanAddingOne() throws IOException {
    Path original = Files.writeString(ops.resolve(Reports.HEALTHY), Reports.realText(Reports.HEALTHY), UTF_8);
    t.ingester.ingest(List.of(original), true);
    String edited = Reports.realText(Reports.HEALTHY).replace("ALL SYSTEMS OPERATIONAL", "ALL SYSTEMS GO");
    Path copy = Files.writeString(ops.resolve(COPY), edited, UTF_8);

    t.ingester.ingest(List.of(copy), true);

    assertEquals(1, t.count("heartbeats"));
    assertEquals(COPY, t.value("SELECT filename FROM heartbeats"));
    assertEquals(2, t.count("seen_files"));
  }

  @Test
  void aFileHandedOverAgainUnchangedWritesNothing() throws IOException {
    Path original = Files.writeString(ops.resolve(Reports.HEALTHY), Reports.realText(Reports.HEALTHY), UTF_8);
    t.ingester.ingest(List.of(original), true);
    Object change = t.value("SELECT change_seq FROM heartbeats");

    assertEquals(Outcome.UNCHANGED, t.ingester.ingest(List.of(original), true).get(original));

    assertEquals(1, t.count("heartbeats"));
    assertEquals(change, t.value("SELECT change_seq FROM heartbeats"));
  }
}
