package com.luka02.heartbeat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.luka02.heartbeat.agent.AgentInfo;
import com.luka02.heartbeat.agent.HttpBackend;
import com.luka02.heartbeat.io.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The agent as a child JVM ({@code run --port 0}), reached over loopback at the port agent.json gives. */
final class AgentChild implements AutoCloseable {
  private static final ObjectMapper JSON = Json.mapper();
  private static final Duration STOP_WAIT = Duration.ofSeconds(60);

  private final Measure.Child child;
  private final String base;
  private final long startupMs;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private AgentChild(Measure.Child child, int port, long startupMs) {
    this.child = child;
    this.base = "http://127.0.0.1:" + port;
    this.startupMs = startupMs;
  }

  /**
   * Starts the agent on {@code root} and waits until its agent.json names it: the start-up reconcile
   * is done and HTTP is up.
   */
  static AgentChild start(String name, List<String> command, Path root, Path agentFile, Path logs, Duration timeout)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    Measure.Child child = Measure.Child.start(name, command, root, logs);
    long deadline = start + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!child.alive()) {
        throw new IllegalStateException(name + " exited during start-up; see " + logs.resolve(name + ".err"));
      }
      AgentInfo info = readInfo(agentFile);
      if (info != null && info.pid() == child.pid()) {
        return new AgentChild(child, info.port(), (System.nanoTime() - start) / 1_000_000);
      }
      Thread.sleep(Measure.POLL.toMillis());
    }
    child.stop(STOP_WAIT);
    throw new IllegalStateException(name + " did not write " + agentFile + " within " + timeout.toSeconds() + " s");
  }

  private static AgentInfo readInfo(Path file) {
    try {
      return JSON.readValue(Files.readAllBytes(file), AgentInfo.class);
    } catch (IOException e) {
      return null; // not written yet, or mid-rename
    }
  }

  /** From spawn until agent.json named this process. */
  long startupMs() {
    return startupMs;
  }

  Measure.ProcSample sample() {
    return child.now();
  }

  long pid() {
    return child.pid();
  }

  /** Rows of a read-only query, as JSON objects. */
  JsonNode query(String sql) throws IOException, InterruptedException {
    return send("GET", "/query?sql=" + URLEncoder.encode(sql, StandardCharsets.UTF_8), Duration.ofSeconds(30));
  }

  long count(String sql) throws IOException, InterruptedException {
    JsonNode rows = query(sql);
    return rows.get(0).elements().next().asLong();
  }

  /** DuckDB's own memory accounting by tag, in MB; empty when the agent refuses the query. */
  ObjectNode duckdbMemoryMb() throws InterruptedException {
    ObjectNode out = JSON.createObjectNode();
    try {
      for (JsonNode row : query("SELECT tag, memory_usage_bytes FROM duckdb_memory() WHERE memory_usage_bytes > 0")) {
        out.put(row.get("tag").asText(), row.get("memory_usage_bytes").asLong() / 1e6);
      }
    } catch (IOException e) {
      out.put("error", e.getMessage());
    }
    return out;
  }

  /** The agent's Prometheus text, {@code GET /metrics}. */
  String metrics() throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/metrics")).timeout(Duration.ofSeconds(30)).build();
    return http.send(req, HttpResponse.BodyHandlers.ofString()).body();
  }

  JsonNode post(String pathAndQuery) throws IOException, InterruptedException {
    return send("POST", pathAndQuery, Duration.ofMinutes(10));
  }

  private JsonNode send(String method, String pathAndQuery, Duration timeout) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
        .method(method, HttpRequest.BodyPublishers.noBody()).header(HttpBackend.CLIENT_HEADER, "1")
        .timeout(timeout).build();
    HttpResponse<byte[]> res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    if (res.statusCode() != 200) {
      throw new IOException(method + " " + pathAndQuery + " answered " + res.statusCode() + ": "
          + new String(res.body(), StandardCharsets.UTF_8));
    }
    return JSON.readTree(res.body());
  }

  /** Stops the agent with SIGTERM and returns its exit code (0 when it stopped cleanly). */
  int stop() throws InterruptedException {
    return child.stop(STOP_WAIT);
  }

  @Override
  public void close() throws InterruptedException {
    child.close();
  }
}
