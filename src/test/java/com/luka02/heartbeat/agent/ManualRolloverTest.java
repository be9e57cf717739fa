package com.luka02.heartbeat.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.ingest.CatchupOptions;
import com.luka02.heartbeat.fixtures.ReportText;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rollover --date} of a day without reports is refused up front and leaves no failure behind. */
class ManualRolloverTest {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00.123Z");

  @TempDir Path root;
  private Agent agent;

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  void aDayWithoutReports_isRefused_andNoFailureIsRecordedOrCounted() throws Exception {
    ReportText.write(root.resolve("g/reports"), T0);
    Files.writeString(root.resolve("config.json"), "{\"zone\": \"UTC\"}");
    Config config = ConfigLoader.load(root, root.resolve("config.json"));
    agent = Agent.start(config, Clock.systemUTC(), 0);
    agent.catchup(CatchupOptions.FULL);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> agent.rollover(LocalDate.parse("2026-01-01"), false));

    assertTrue(e.getMessage().startsWith("nothing to export for 2026-01-01: no report of that day (UTC) is staged"),
        e.getMessage());
    assertNull(agent.status().lastRolloverError(), "nothing for the status page to show in red");
    assertTrue(metrics().contains("heartbeat_rollover_failures_total 0"), "not counted as a failure");
    assertTrue(agent.rollover(LocalDate.parse("2026-11-20"), false).ok(), "a day with reports still exports");
    assertTrue(metrics().contains("heartbeat_rollover_failures_total 0"));
  }

  private String metrics() throws Exception {
    HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + agent.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, res.statusCode());
    return res.body();
  }
}
