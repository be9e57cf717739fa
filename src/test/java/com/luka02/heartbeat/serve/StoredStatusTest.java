package com.luka02.heartbeat.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.ingest.CatchupOptions;
import com.luka02.heartbeat.ingest.Ingester;
import com.luka02.heartbeat.io.Json;
import com.luka02.heartbeat.ops.Timeline;
import com.luka02.heartbeat.report.Status;
import com.luka02.heartbeat.store.QuarantineRow;
import com.luka02.heartbeat.store.StagingStore;
import com.luka02.heartbeat.store.StoreException;
import com.luka02.heartbeat.testing.MutableClock;
import com.luka02.heartbeat.fixtures.ReportText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page reads the store's rows as typed records: what it serves is spelled as stored, and a
 * status this tool never writes is refused naming the report and the spellings expected.
 */
class StoredStatusTest {
  private static final Instant T = Instant.parse("2026-11-27T08:00:00Z");

  @TempDir Path root;
  private final MutableClock clock = new MutableClock(T.plusSeconds(60));
  private Config config;

  @BeforeEach
  void stageOneCriticalReport() throws Exception {
    Files.writeString(root.resolve("config.json"), "{\"zone\": \"UTC\", \"host\": \"mac-a\"}");
    config = ConfigLoader.load(root, root.resolve("config.json"));
    Files.createDirectories(config.reportsDir());
    Files.writeString(config.reportsDir().resolve(ReportText.name(T)), ReportText.critical(T));
    try (StagingStore store = StagingStore.open(config)) {
      new Ingester(config, store, clock).catchup(CatchupOptions.FULL);
    }
  }

  private StatusPage page(StagingStore store) {
    return new StatusPage(store, clock, config.zone(), config.cadence(), () -> null);
  }

  private void sql(String statement) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + config.stagingDb());
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  @Test
  void latestServesTheStoredSpellings_checksByteForByte() throws Exception {
    try (StagingStore store = StagingStore.open(config)) {
      String stored = (String) store.query("SELECT checks::VARCHAR FROM heartbeats", 1).rows().get(0).get(0);

      String served = Json.mapper().writeValueAsString(page(store).latest());

      assertTrue(served.contains("\"status\":\"error\""), served);
      assertTrue(served.contains("\"checks\":" + stored + ","), served + "\nstored: " + stored);
    }
  }

  @Test
  void timelineCarriesTheTypedStatuses() {
    try (StagingStore store = StagingStore.open(config)) {
      Timeline t = page(store).timeline(1);

      assertEquals(List.of(Status.ERROR), t.reports().stream().map(Timeline.Point::status).toList());
      assertEquals("error", t.reports().get(0).checks().get("Database"));
    }
  }

  @Test
  void unknownStoredStatus_namesTheReportAndTheSpellingsExpected() throws Exception {
    sql("UPDATE heartbeats SET status = 'fine'");
    try (StagingStore store = StagingStore.open(config)) {
      StatusPage page = page(store);

      for (StoreException e : List.of(assertThrows(StoreException.class, page::latest),
          assertThrows(StoreException.class, () -> page.timeline(1)))) {
        assertEquals("the stored report " + ReportText.name(T)
            + ": expected a status of ok, warn, error or skipped, found 'fine'", e.getMessage());
      }
    }
  }

  @Test
  void unknownStoredCheckStatus_namesTheReportAndTheSpellingsExpected() throws Exception {
    sql("UPDATE heartbeats SET checks = replace(checks::VARCHAR, '\"status\":\"ok\"', '\"status\":\"fine\"')::JSON");
    try (StagingStore store = StagingStore.open(config)) {
      StoreException e = assertThrows(StoreException.class, page(store)::latest);

      assertTrue(e.getMessage().startsWith("the stored checks of " + ReportText.name(T)), e.getMessage());
      assertTrue(e.getMessage().contains("expected a status of ok, warn, error or skipped, found 'fine'"), e.getMessage());
    }
  }

  @Test
  void quarantineRowsAreServedWithTheFieldsInTheirOrder() throws Exception {
    Path bad = config.reportsDir().resolve(ReportText.name(T.plusSeconds(300)));
    Files.writeString(bad, "not a report\n");
    Files.setLastModifiedTime(bad, java.nio.file.attribute.FileTime.from(T));
    try (StagingStore store = StagingStore.open(config)) {
      new Ingester(config, store, clock).catchup(CatchupOptions.FULL);

      String served = Json.mapper().writeValueAsString(QuarantineRow.of(store.quarantineList(5)));

      assertTrue(served.matches("\\[\\{\"path\":\"[^\"]*" + bad.getFileName()
          + "\",\"reason\":\".+\",\"line\":(\\d+|null),\"seenAt\":\"[^\"]+Z\"}]"), served);
    }
  }
}
