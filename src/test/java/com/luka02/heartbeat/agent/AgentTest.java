package com.luka02.heartbeat.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.serve.BrowserGuard;
import com.luka02.heartbeat.testing.LiveAgent;
import com.luka02.heartbeat.fixtures.ReportText;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent in this JVM, with the real watcher on a temporary tree and real HTTP on loopback. */
class AgentTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00.123Z");

  @TempDir Path root;
  private Config config;
  private Agent agent;
  private BlockingQueue<String> staged;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws IOException {
    LiveAgent live = LiveAgent.start(root, "{\"settleMillis\": 50, \"incompleteGraceMillis\": 3000, \"zone\": \"UTC\", \"port\": 0}");
    config = live.config();
    agent = live.agent();
    staged = live.staged();
  }

  @AfterEach
  void stop() {
    agent.close();
  }

  private String nextStaged() throws InterruptedException {
    String path = staged.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertNotNull(path, "nothing was staged within " + WAIT);
    return path;
  }

  private long rows() {
    return ((Number) agent.query("SELECT count(*) FROM heartbeats").rows().get(0).get(0)).longValue();
  }

  @Test
  void createdFileIsStaged() throws Exception {
    ReportText.write(config.reportsDir().resolve("ops_atomic"), T0);

    assertEquals("g/reports/ops_atomic/" + ReportText.name(T0), nextStaged());
    assertEquals(1, rows());
  }

  @Test
  void fileWrittenInTwoChunksIsStagedOnlyOnceComplete() throws Exception {
    Path file = config.reportsDir().resolve(ReportText.name(T0));
    String text = ReportText.healthy(T0);
    int half = text.indexOf("### API Endpoints");
    Files.writeString(file, text.substring(0, half));
    // The monitor's pause between chunks: far longer than the settle window.
    assertEquals(null, staged.poll(600, TimeUnit.MILLISECONDS), "a half-written file was staged");
    Files.writeString(file, text);

    assertEquals("g/reports/" + ReportText.name(T0), nextStaged());
    var row = agent.query("SELECT api_status, launchagent_digest FROM heartbeats").rows().get(0);
    assertEquals("ok", row.get(0));
    assertEquals("loaded", row.get(1));
    assertEquals(0L, ((Number) agent.query("SELECT count(*) FROM quarantine").rows().get(0).get(0)).longValue());
  }

  @Test
  void fileMovedInIsStaged() throws Exception {
    Path outside = Files.createDirectories(root.resolve("elsewhere"));
    Path file = ReportText.write(outside, T0);
    Files.move(file, config.reportsDir().resolve(file.getFileName()));

    assertEquals("g/reports/" + ReportText.name(T0), nextStaged());
  }

  @Test
  void fileInNewSubfolderIsStaged() throws Exception {
    Path sub = config.reportsDir().resolve("ops_atomic/2026/11");
    Files.createDirectories(sub);
    ReportText.write(sub, T0);

    assertEquals("g/reports/ops_atomic/2026/11/" + ReportText.name(T0), nextStaged());
  }

  @Test
  void folderMovedInWithReportsIsStaged() throws Exception {
    Path outside = root.resolve("backup");
    ReportText.write(outside, T0);
    ReportText.write(outside, T0.plusSeconds(300));
    Files.move(outside, config.reportsDir().resolve("backup"));

    nextStaged();
    if (rows() < 2) {
      nextStaged();
    }
    assertEquals(2, rows());
  }

  @Test
  void secondAgentOnTheSameRootIsRefusedNamingThePid() {
    AgentRunningException e = assertThrows(AgentRunningException.class,
        () -> Agent.start(config, Clock.systemUTC(), 0));

    assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
    assertEquals(0, rows(), "the first agent still answers");
  }

  @Test
  void queryOverLoopbackReturnsAnArrayOfRowObjects() throws Exception {
    ReportText.write(config.reportsDir(), T0);
    nextStaged();

    HttpResponse<String> res = get("/query?sql=" + URLEncoder.encode(
        "SELECT filename, status, duration_ms FROM heartbeats", StandardCharsets.UTF_8));

    assertEquals(200, res.statusCode());
    JsonNode rows = new ObjectMapper().readTree(res.body());
    assertTrue(rows.isArray());
    assertEquals(ReportText.name(T0), rows.get(0).get("filename").asText());
    assertEquals("ok", rows.get(0).get("status").asText());
    assertEquals(71, rows.get(0).get("duration_ms").asInt());
  }

  /** SQL travels in the query string: a statement of 20 KB is answered, not refused by the server's header limit. */
  @Test
  void aLongStatementIsAnswered() throws Exception {
    String sql = "SELECT 1 AS one -- " + "x".repeat(20_000);

    HttpResponse<String> res = get("/query?sql=" + URLEncoder.encode(sql, StandardCharsets.UTF_8));

    assertEquals(200, res.statusCode(), res.body());
    assertEquals("[{\"one\":1}]", res.body().strip());
    assertEquals(java.util.Optional.empty(), res.headers().firstValue("Server"), "no header names the server software");
  }

  @Test
  void queryThatWritesIsRefusedWith400() throws Exception {
    HttpResponse<String> res = get("/query?sql=" + URLEncoder.encode("DELETE FROM heartbeats", StandardCharsets.UTF_8));

    assertEquals(400, res.statusCode());
    assertTrue(res.body().contains("read-only"), res.body());
  }

  @Test
  void statusCatchupAndRolloverAnswerOverLoopback() throws Exception {
    ReportText.write(config.reportsDir(), T0);
    nextStaged();

    JsonNode status = new ObjectMapper().readTree(get("/status").body());
    assertTrue(status.get("agentUp").asBoolean());
    assertEquals(ProcessHandle.current().pid(), status.get("pid").asLong());
    assertEquals(1, status.get("rowsTotal").asLong());

    JsonNode catchup = new ObjectMapper().readTree(post("/catchup").body());
    assertEquals(1, catchup.get("unchanged").asLong());

    HttpResponse<String> rollover = post("/rollover?dry_run=true");
    assertEquals(200, rollover.statusCode());
    assertTrue(new ObjectMapper().readTree(rollover.body()).get("dryRun").asBoolean());
  }

  @Test
  void agentFileNamesPidAndPortAndGoesOnClose() throws Exception {
    AgentInfo info = AgentInfo.readLive(config.agentFile());
    assertNotNull(info);
    assertEquals(ProcessHandle.current().pid(), info.pid());
    assertEquals(agent.port(), info.port());

    agent.close();

    assertFalse(Files.exists(config.agentFile()));
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + path))
        .header(BrowserGuard.CLIENT_HEADER, "1").build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + path))
        .header(BrowserGuard.CLIENT_HEADER, "1").POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
