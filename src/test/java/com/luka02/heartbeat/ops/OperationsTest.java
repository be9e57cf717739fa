package com.luka02.heartbeat.ops;

import com.luka02.heartbeat.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.luka02.heartbeat.agent.Agent;
import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.fixtures.ReportText;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health, metrics and alerts of a real agent on a temporary tree, over loopback HTTP, with a webhook
 * receiver on loopback. Silence is made by moving the agent's clock; its alert check runs every second.
 */
class OperationsTest {
  private static final long WAIT_MS = 15_000;
  /** Longer than two alert checks: time enough for a duplicate alert to show itself. */
  private static final long QUIET_MS = 2_500;

  @TempDir Path root;
  private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private final Instant t0 = clock.instant();
  private final BlockingQueue<String> staged = new LinkedBlockingQueue<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private WebhookReceiver receiver;
  private Config config;
  private Agent agent;

  @BeforeEach
  void start() throws IOException {
    receiver = new WebhookReceiver();
    Path cfg = root.resolve("config.json");
    Files.writeString(cfg, """
        {"settleMillis": 50, "incompleteGraceMillis": 3000, "zone": "UTC", "port": 0,
         "alertCheckSeconds": 1, "alertWebhookUrl": "%s", "host": "test-mac"}
        """.formatted(receiver.url()));
    config = ConfigLoader.load(root, cfg);
    agent = Agent.start(config, clock, 0);
    agent.addStageListener((files, bad, counts) -> {
      files.forEach(f -> staged.add(f.fileName()));
      bad.forEach(q -> staged.add("quarantined:" + q.path()));
    });
  }

  @AfterEach
  void stop() {
    agent.close();
    receiver.close();
  }

  private void write(String report, Instant t) throws Exception {
    Files.writeString(config.reportsDir().resolve(ReportText.name(t)), report, StandardCharsets.UTF_8);
    String name = staged.poll(WAIT_MS, TimeUnit.MILLISECONDS);
    assertNotNull(name, "nothing was staged");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The value of one sample, e.g. {@code heartbeat_alerts_total{kind="silence"}}; fails when absent. */
  private double sample(String metrics, String name) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(metrics);
    assertTrue(m.find(), name + " not in:\n" + metrics);
    return Double.parseDouble(m.group(1));
  }

  private String message(String body) throws IOException {
    JsonNode node = json.readTree(body);
    assertEquals(node.get("content"), node.get("text"), "Discord's content and Slack's text carry the same message");
    return node.get("content").asText();
  }

  @Test
  void metricsChangeAsReportsArrive() throws Exception {
    HttpResponse<String> before = get("/metrics");
    assertEquals(200, before.statusCode());
    assertTrue(before.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
    assertEquals(0, sample(before.body(), "heartbeat_reports_staged_total"));

    write(ReportText.healthy(t0), t0);
    write(ReportText.healthy(t0.plusSeconds(300)), t0.plusSeconds(300));
    write("# not a heartbeat\n", t0.plusSeconds(600));

    String after = get("/metrics").body();
    assertEquals(2, sample(after, "heartbeat_reports_staged_total"));
    assertEquals(1, sample(after, "heartbeat_reports_quarantined_total"));
    assertEquals(2, sample(after, "heartbeat_staging_rows"));
    assertEquals(t0.plusSeconds(300).getEpochSecond(), sample(after, "heartbeat_last_report_timestamp_seconds"));
    assertEquals(2, sample(after, "heartbeat_staging_latency_seconds_count"));
    assertTrue(sample(after, "heartbeat_reconcile_runs_total{outcome=\"ok\"}") >= 1);
    assertEquals(0, sample(after, "heartbeat_rollover_failures_total"));
    assertEquals(1, sample(after, "heartbeat_healthy"));
  }

  @Test
  void silenceAlertsOnceAndRecoversOnce() throws Exception {
    write(ReportText.healthy(t0), t0);

    clock.advance(Duration.ofMinutes(16));

    String alert = receiver.next(WAIT_MS);
    assertNotNull(alert, "no alert after 16 minutes without a heartbeat");
    assertTrue(message(alert).contains("heartbeat-ingester on test-mac: No heartbeat for 16 min"), alert);
    assertNull(receiver.next(QUIET_MS), "a second alert for the same silence");

    clock.advance(Duration.ofMinutes(1));
    write(ReportText.healthy(clock.instant()), clock.instant());

    String recovery = receiver.next(WAIT_MS);
    assertNotNull(recovery, "no recovery once heartbeats resumed");
    assertTrue(message(recovery).contains("Heartbeats resumed"), recovery);
    assertNull(receiver.next(QUIET_MS), "a second recovery");
    String metrics = get("/metrics").body();
    assertEquals(1, sample(metrics, "heartbeat_alerts_total{kind=\"silence\"}"));
    assertEquals(0, sample(metrics, "heartbeat_alert_active{kind=\"silence\"}"));
    assertTrue(sample(metrics, "heartbeat_webhook_deliveries_total{outcome=\"sent\"}") >= 1);
  }

  @Test
  void criticalReportAlertsAndAHealthyOneClearsIt() throws Exception {
    write(ReportText.critical(t0), t0);

    String alert = receiver.next(WAIT_MS);
    assertNotNull(alert, "no alert for a CRITICAL report");
    assertTrue(message(alert).contains("says CRITICAL: Database: Database file not found"), alert);
    assertEquals(1, sample(get("/metrics").body(), "heartbeat_alert_active{kind=\"critical\"}"));

    clock.advance(Duration.ofMinutes(5));
    write(ReportText.healthy(clock.instant()), clock.instant());

    String cleared = receiver.next(WAIT_MS);
    assertNotNull(cleared, "no message when the status cleared");
    assertTrue(message(cleared).contains("Status cleared"), cleared);
  }

  @Test
  void healthIs200WhileWatchingWithAWritableStore() throws Exception {
    HttpResponse<String> res = get("/health");

    assertEquals(200, res.statusCode(), res.body());
    JsonNode body = json.readTree(res.body());
    assertEquals("ok", body.get("status").asText());
    assertTrue(body.get("watching").asBoolean());
    assertTrue(body.get("storeWritable").asBoolean());
    assertEquals(0, body.get("problems").size());
  }

  @Test
  void healthIs503SayingWhyWhenTheReportsFolderIsGone() throws Exception {
    Files.delete(config.reportsDir());

    HttpResponse<String> res = get("/health");

    assertEquals(503, res.statusCode(), res.body());
    JsonNode body = json.readTree(res.body());
    assertEquals("unhealthy", body.get("status").asText());
    assertTrue(body.get("problems").get(0).asText().contains("reports folder " + config.reportsDir() + " is missing"),
        res.body());
  }
}
