package com.luka02.heartbeat.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.ingest.CatchupOptions;
import com.luka02.heartbeat.testing.LiveAgent;
import com.luka02.heartbeat.fixtures.ReportText;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damage done to the store behind the agent's back makes {@code /health} say so, with the next step. */
class DamagedTableHealthTest {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  @TempDir Path root;
  private Config config;
  private Agent agent;
  private BlockingQueue<String> staged;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void start() throws Exception {
    LiveAgent live = LiveAgent.start(root, "{\"settleMillis\": 50, \"incompleteGraceMillis\": 3000, \"zone\": \"UTC\", \"port\": 0}");
    config = live.config();
    agent = live.agent();
    staged = live.staged();
  }

  @AfterEach
  void stop() {
    agent.close();
  }

  private HttpResponse<String> health() throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + "/health")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void droppedHeartbeatsTableMakesHealth503NamingTheReasonAndRecover() throws Exception {
    ReportText.write(config.reportsDir(), T0);
    assertNotNull(staged.poll(20, TimeUnit.SECONDS), "the first report was not staged");
    assertEquals(200, health().statusCode());

    // The same process may open a second connection to the agent's database instance.
    // With the agent's own connection options: the driver refuses a second connection that differs.
    java.util.Properties sameOptions = new java.util.Properties();
    sameOptions.setProperty("jdbc_stream_results", "true");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + config.stagingDb(), sameOptions);
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE heartbeats");
    }
    ReportText.write(config.reportsDir(), T0.plusSeconds(300));
    assertThrows(RuntimeException.class, () -> agent.catchup(CatchupOptions.FULL));

    HttpResponse<String> res = health();
    assertEquals(503, res.statusCode(), res.body());
    JsonNode problems = json.readTree(res.body()).get("problems");
    String all = problems.toString();
    assertTrue(all.contains("staging fails") && all.contains("heartbeats"), all);
    assertTrue(all.contains("run `heartbeat-ingester recover`"), all);
  }
}
