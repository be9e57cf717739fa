package com.luka02.heartbeat.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The webhook against a receiver on loopback. */
class WebhookTest {
  private static final long WAIT_MS = 10_000;
  private static final List<Duration> QUICK = List.of(Duration.ofMillis(10), Duration.ofMillis(20));

  private final BlockingQueue<Boolean> outcomes = new LinkedBlockingQueue<>();
  private WebhookReceiver receiver;
  private Webhook webhook;

  private void start() throws Exception {
    receiver = new WebhookReceiver();
    webhook = new Webhook(receiver.url(), QUICK, outcomes::add);
  }

  @AfterEach
  void stop() {
    webhook.close(Duration.ofSeconds(5));
    receiver.close();
  }

  @Test
  void messageIsPostedAsDiscordContentAndSlackText() throws Exception {
    start();

    webhook.send("No heartbeat for 16m \"quoted\"");

    JsonNode body = new ObjectMapper().readTree(receiver.next(WAIT_MS));
    assertEquals("No heartbeat for 16m \"quoted\"", body.get("content").asText());
    assertEquals(body.get("content"), body.get("text"));
    assertEquals(true, outcomes.poll(WAIT_MS, TimeUnit.MILLISECONDS));
  }

  @Test
  void failedPostIsRetriedWithBackoffUntilAccepted() throws Exception {
    start();
    receiver.answer(List.of(503, 500));

    webhook.send("CRITICAL");

    String first = receiver.next(WAIT_MS);
    assertEquals(first, receiver.next(WAIT_MS));
    assertEquals(first, receiver.next(WAIT_MS));
    assertEquals(true, outcomes.poll(WAIT_MS, TimeUnit.MILLISECONDS));
  }

  @Test
  void retriesAreBoundedAndThenTheMessageIsGivenUp() throws Exception {
    start();
    receiver.answer(List.of(503, 503, 503, 503));

    webhook.send("CRITICAL");

    assertEquals(false, outcomes.poll(WAIT_MS, TimeUnit.MILLISECONDS));
    for (int i = 0; i < 3; i++) {
      receiver.next(WAIT_MS);
    }
    assertNull(receiver.next(0), "more than one try and " + QUICK.size() + " retries");
  }

  @Test
  void refusedPostIsNotRetried() throws Exception {
    start();
    receiver.answer(List.of(400));

    webhook.send("CRITICAL");

    assertEquals(false, outcomes.poll(WAIT_MS, TimeUnit.MILLISECONDS));
    receiver.next(WAIT_MS);
    assertNull(receiver.next(0));
  }
}
