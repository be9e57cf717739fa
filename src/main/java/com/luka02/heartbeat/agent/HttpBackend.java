package com.luka02.heartbeat.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.luka02.heartbeat.export.RolloverReport;
import com.luka02.heartbeat.ingest.CatchupOptions;
import com.luka02.heartbeat.ingest.CatchupResult;
import com.luka02.heartbeat.store.QueryException;
import com.luka02.heartbeat.store.QueryResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;

/** The CLI's view of a running agent, over loopback HTTP. */
public final class HttpBackend implements Backend {
  /** The header the agent requires of its clients, since no web page can send it (see README, Security). */
  public static final String CLIENT_HEADER = BrowserGuard.CLIENT_HEADER;
  private static final ObjectMapper JSON = Json.mapper();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String base;
  private final ApiToken token;

  public HttpBackend(AgentInfo agent) {
    this(agent, null);
  }

  /** A client of {@code agent}, sending {@code token} (may be null) with every request. */
  public HttpBackend(AgentInfo agent, ApiToken token) {
    this.base = "http://127.0.0.1:" + agent.port();
    this.token = token;
  }

  @Override
  public QueryResult query(String sql) {
    return call("GET", "/query?shape=table&sql=" + enc(sql), QueryResult.class);
  }

  @Override
  public StatusReport status() {
    return call("GET", "/status", StatusReport.class);
  }

  @Override
  public CatchupResult catchup(CatchupOptions o) {
    return call("POST", "/catchup?reparse=" + o.reparse() + "&dry_run=" + o.dryRun()
        + (o.since() == null ? "" : "&since=" + o.since()), CatchupResult.class);
  }

  @Override
  public RolloverReport rollover(LocalDate date, boolean dryRun) {
    return call("POST", "/rollover?dry_run=" + dryRun + (date == null ? "" : "&date=" + date), RolloverReport.class);
  }

  @Override
  public void close() {}

  private <T> T call(String method, String path, Class<T> type) {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, HttpRequest.BodyPublishers.noBody())
        .header(CLIENT_HEADER, "1")
        .timeout(Duration.ofMinutes(10));
    if (token != null) {
      req.header("Authorization", token.header());
    }
    try {
      HttpResponse<byte[]> res = client.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
      for (QueryException.Reason reason : QueryException.Reason.values()) {
        if (res.statusCode() == reason.httpStatus()) {
          JsonNode err = JSON.readTree(res.body());
          throw new QueryException(reason, err.path("error").asText(), null);
        }
      }
      if (res.statusCode() != 200) {
        throw new IllegalStateException("the agent at " + base + " answered " + res.statusCode() + ": "
            + new String(res.body(), StandardCharsets.UTF_8));
      }
      return JSON.readValue(res.body(), type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach the agent at " + base + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
