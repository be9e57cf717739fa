package com.luka02.heartbeat.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.luka02.heartbeat.store.StagedFile;
import com.luka02.heartbeat.fixtures.ReportText;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The red team's exhaustion attacks: a billion rows, a gigabyte value, answers past the byte cap,
 * and more slow queries than slots. The agent answers each in time and keeps serving the rest.
 */
@Timeout(120)
class QueryExhaustionTest {
  private static final int TIMEOUT_S = 5;
  /** Generous: the answer comes at the time limit, this only catches an answer that waits for DuckDB. */
  private static final Duration ANSWERED_BY = Duration.ofSeconds(TIMEOUT_S + 10);
  private static final String SLOW = "SELECT count(*) FROM range(1000000000) a, range(1000) b";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path root;
  private QueryTarget target;

  private QueryTarget start(String extra) throws Exception {
    target = new QueryTarget(root, ", \"queryTimeoutSeconds\": " + TIMEOUT_S + ", \"queryMaxRows\": 1000,"
        + " \"settleMillis\": 50" + extra);
    return target;
  }

  @AfterEach
  void stop() {
    if (target != null) {
      target.close();
    }
  }

  @Test
  void aBillionRowsAreAnsweredAtTheRowCap() throws Exception {
    start("");

    HttpResponse<String> res = target.get("/query?shape=table&sql="
        + URLEncoder.encode("SELECT * FROM range(1000000000)", StandardCharsets.UTF_8));

    assertEquals(200, res.statusCode(), res.body());
    JsonNode body = JSON.readTree(res.body());
    assertEquals(1000, body.get("rows").size());
    assertTrue(body.get("truncated").asBoolean());
  }

  @Test
  void aGigabyteValueIsCutByTheTimeLimitOrTheByteCap() throws Exception {
    start("");
    long t0 = System.nanoTime();

    HttpResponse<String> res = target.query("SELECT repeat('x', 1000000000)");

    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertTrue(took.compareTo(ANSWERED_BY) < 0, "answered after " + took);
    assertTrue(res.statusCode() == 400 && res.body().contains("time limit")
        || res.statusCode() == 413 && res.body().contains("larger than"), res.statusCode() + " " + res.body());
    assertTrue(res.body().length() < 1000, "no gigabyte in the answer");
  }

  @Test
  void answersPastTheByteCapAre413() throws Exception {
    start(", \"queryMaxResultMb\": 1");

    HttpResponse<String> wide = target.query("SELECT repeat('x', 2000000) AS v");
    HttpResponse<String> many = target.query("SELECT repeat('x', 2000) AS v FROM range(900)");

    assertEquals(413, wide.statusCode(), wide.body());
    assertTrue(wide.body().contains("larger than 1048576 bytes"), wide.body());
    assertEquals(413, many.statusCode(), many.body());
  }

  @Test
  void slowQueriesTakeTheirSlotsAndTheRestAreTurnedAwayWhileHealthAndIngestionGoOn() throws Exception {
    start("");
    BlockingQueue<String> staged = new LinkedBlockingQueue<>();
    target.agent.addStageListener((files, bad, counts) -> files.stream().map(StagedFile::path).forEach(staged::add));
    BlockingQueue<HttpResponse<String>> turnedAway = new LinkedBlockingQueue<>();
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      CompletableFuture<HttpResponse<String>> f = CompletableFuture.supplyAsync(() -> target.query(SLOW + " -- " + Math.random()));
      f.thenAccept(r -> {
        if (r.statusCode() == 429) {
          turnedAway.add(r);
        }
      });
      all.add(f);
    }

    for (int i = 0; i < 2; i++) {
      HttpResponse<String> busy = turnedAway.poll(TIMEOUT_S, TimeUnit.SECONDS);
      assertNotNull(busy, "two of four slow queries are turned away at once");
      assertTrue(busy.body().contains("query slots are busy"), busy.body());
      assertEquals("5", busy.headers().firstValue("Retry-After").orElse(null));
    }
    HttpResponse<String> health = target.get("/health");
    HttpResponse<String> metrics = target.get("/metrics");
    ReportText.write(target.config.reportsDir(), Instant.parse("2026-11-22T10:10:00Z"));
    String ingested = staged.poll(TIMEOUT_S, TimeUnit.SECONDS);
    long stillRunning = all.stream().filter(f -> !f.isDone()).count();

    assertEquals(200, health.statusCode(), health.body());
    assertEquals(200, metrics.statusCode());
    assertNotNull(ingested, "a report written while every slot is busy is staged");
    assertEquals(2, stillRunning, "health, metrics and ingestion were served while two slow queries ran");
    for (CompletableFuture<HttpResponse<String>> f : all) {
      HttpResponse<String> r = f.get(ANSWERED_BY.toSeconds(), TimeUnit.SECONDS);
      assertTrue(r.statusCode() == 429 || r.body().contains("time limit"), r.body());
    }
    assertFalse(all.stream().anyMatch(f -> f.join().statusCode() == 200));
  }
}
