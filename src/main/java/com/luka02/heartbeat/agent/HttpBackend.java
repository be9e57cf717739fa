package com.luka02.heartbeat.agent;

import com.luka02.heartbeat.export.RolloverReport;
import com.luka02.heartbeat.ingest.CatchupOptions;
import com.luka02.heartbeat.ingest.CatchupResult;
import com.luka02.heartbeat.io.Json;
import com.luka02.heartbeat.serve.ApiToken;
import com.luka02.heartbeat.serve.BrowserGuard;
import com.luka02.heartbeat.serve.WireJson;
import com.luka02.heartbeat.store.QueryException;
import com.luka02.heartbeat.store.QueryResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;

/**
 * The CLI's view of a running agent, over loopback HTTP/1.1. It uses {@link HttpURLConnection} rather
 * than {@code java.net.http.HttpClient}: that client sets up TLS and its selector thread even for a plain
 * loopback request, which cost a one-shot {@code query} several hundred milliseconds of start-up.
 */
public final class HttpBackend implements Backend {
  /** The header the agent requires of its clients, since no web page can send it (see README, Security). */
  public static final String CLIENT_HEADER = BrowserGuard.CLIENT_HEADER;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration READ_TIMEOUT = Duration.ofMinutes(10);
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
    try {
      // Loopback only: a proxy configured for the user's browsing must never see the query or the token.
      HttpURLConnection c = (HttpURLConnection) new URL(base + path).openConnection(Proxy.NO_PROXY);
      c.setRequestMethod(method);
      c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
      c.setReadTimeout((int) READ_TIMEOUT.toMillis());
      c.setUseCaches(false);
      c.setRequestProperty(CLIENT_HEADER, "1");
      if (token != null) {
        c.setRequestProperty("Authorization", token.header());
      }
      if ("POST".equals(method)) {
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode(0);
        c.getOutputStream().close();
      }
      int status = c.getResponseCode();
      byte[] body = body(c, status);
      c.disconnect();
      return decode(status, body, type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach the agent at " + base + ": " + e.getMessage(), e);
    }
  }

  private static byte[] body(HttpURLConnection c, int status) throws IOException {
    try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
      return in == null ? new byte[0] : in.readAllBytes();
    }
  }

  private <T> T decode(int status, byte[] body, Class<T> type) throws IOException {
    for (QueryException.Reason reason : QueryException.Reason.values()) {
      if (status == reason.httpStatus()) {
        Object error = WireJson.fields(body).get("error");
        throw new QueryException(reason, error == null ? "" : String.valueOf(error), null);
      }
    }
    if (status != 200) {
      throw new IllegalStateException("the agent at " + base + " answered " + status + ": "
          + new String(body, StandardCharsets.UTF_8));
    }
    // A query and a status need only the streaming parser; the richer answers are read by the data-binding mapper.
    if (type == QueryResult.class) {
      return type.cast(WireJson.queryResult(body));
    }
    if (type == StatusReport.class) {
      StatusReport flat = WireJson.flatRecord(body, StatusReport.class);
      if (flat != null) {
        return type.cast(flat);
      }
    }
    return Json.mapper().readValue(body, type);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
