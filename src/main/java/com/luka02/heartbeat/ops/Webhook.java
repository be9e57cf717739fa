package com.luka02.heartbeat.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.luka02.heartbeat.io.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts alert messages as JSON to an incoming webhook, in order, on a thread of its own so that a
 * slow receiver never holds up staging. The body carries the message as both {@code content}
 * (Discord) and {@code text} (Slack). A refused or failed post is retried after each delay of the
 * backoff; then the message is dropped, logged and counted.
 *
 * <p>The URL holds the webhook's secret, so logs name only its host.
 */
final class Webhook implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Webhook.class);
  static final List<Duration> BACKOFF = List.of(Duration.ofSeconds(2), Duration.ofSeconds(8), Duration.ofSeconds(30));
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(2);
  /** Discord refuses content over 2000 characters. */
  static final int MAX_CHARS = 2000;
  private static final int QUEUE = 64;

  private final URI url;
  private final List<Duration> backoff;
  private final Consumer<Boolean> delivered;
  private final HttpClient client;
  private final ThreadPoolExecutor sender;
  private final CountDownLatch closing = new CountDownLatch(1);

  /** @param delivered told true when a message was accepted, false when it was given up */
  Webhook(URI url, List<Duration> backoff, Consumer<Boolean> delivered) {
    this.url = url;
    this.backoff = List.copyOf(backoff);
    this.delivered = delivered;
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(REQUEST_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
      Thread t = new Thread(r, "webhook");
      t.setDaemon(true);
      return t;
    }, (task, pool) -> {
      log.warn("webhook to {}: {} messages already wait; dropping this one", url.getHost(), QUEUE);
      delivered.accept(false);
    });
  }

  /** The JSON body posted for {@code message}. */
  static String body(String message) {
    String m = message.length() <= MAX_CHARS ? message : message.substring(0, MAX_CHARS - 1) + "\u2026";
    Map<String, String> body = new LinkedHashMap<>();
    body.put("content", m);
    body.put("text", m);
    try {
      return Json.mapper().writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Queues {@code message}; returns at once. */
  void send(String message) {
    if (closing.getCount() == 0) {
      return;
    }
    sender.execute(() -> deliver(body(message)));
  }

  private void deliver(String body) {
    HttpRequest request = HttpRequest.newBuilder(url)
        .timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/json")
        .header("User-Agent", "heartbeat-ingester")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    for (int attempt = 0; ; attempt++) {
      Next next = tryOnce(request, attempt);
      if (next.done()) {
        delivered.accept(next.delivered());
        return;
      }
      if (!pause(next.delay())) {
        delivered.accept(false);
        return;
      }
    }
  }

  /** What an attempt leaves to do: nothing (the alert delivered or not), or another try after {@code delay}. */
  private record Next(boolean delivered, Duration delay) {
    static final Next DELIVERED = new Next(true, null);
    static final Next FAILED = new Next(false, null);

    boolean done() {
      return delay == null;
    }
  }

  /** Sends once; a refusal is final, while a 429, a 5xx or an I/O failure is retried while backoff lasts. */
  private Next tryOnce(HttpRequest request, int attempt) {
    Duration wait;
    try {
      HttpResponse<String> res = client.send(request, HttpResponse.BodyHandlers.ofString());
      int code = res.statusCode();
      if (code / 100 == 2) {
        return Next.DELIVERED;
      }
      String why = "HTTP " + code + " " + excerpt(res.body());
      if (code != 429 && code / 100 != 5) {
        log.warn("webhook to {} refused the alert ({}); not retrying", url.getHost(), why);
        return Next.FAILED;
      }
      wait = attempt < backoff.size() ? max(backoff.get(attempt), retryAfter(res)) : null;
      log.warn("webhook to {}: attempt {} failed ({})", url.getHost(), attempt + 1, why);
    } catch (IOException e) {
      wait = attempt < backoff.size() ? backoff.get(attempt) : null;
      log.warn("webhook to {}: attempt {} failed ({})", url.getHost(), attempt + 1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Next.FAILED;
    }
    if (wait == null) {
      log.warn("webhook to {}: giving up after {} attempts; the alert is in the log only", url.getHost(), attempt + 1);
      return Next.FAILED;
    }
    return new Next(false, wait);
  }

  /** Waits {@code wait} before the next attempt; false when the agent stops meanwhile. */
  private boolean pause(Duration wait) {
    try {
      if (closing.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("webhook to {}: the agent is stopping; not retrying", url.getHost());
        return false;
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Discord and Slack both send Retry-After (seconds) with 429. */
  private static Duration retryAfter(HttpResponse<?> res) {
    try {
      return res.headers().firstValue("Retry-After")
          .map(v -> Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000)))
          .map(d -> d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d)
          .orElse(Duration.ZERO);
    } catch (NumberFormatException e) {
      return Duration.ZERO;
    }
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static String excerpt(String body) {
    String b = body == null ? "" : body.strip().replaceAll("\\s+", " ");
    return b.length() <= 200 ? b : b.substring(0, 200) + "\u2026";
  }

  /** Lets queued messages go out for at most {@code wait}, without retrying; then stops. */
  void close(Duration wait) {
    closing.countDown();
    sender.shutdown();
    try {
      if (!sender.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("webhook to {}: messages still unsent after {} s; dropping them", url.getHost(), wait.toSeconds());
        sender.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sender.shutdownNow();
    }
  }

  @Override
  public void close() {
    close(REQUEST_TIMEOUT);
  }
}
