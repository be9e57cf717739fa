package com.luka02.heartbeat.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.luka02.heartbeat.ingest.CatchupOptions;
import com.luka02.heartbeat.ops.Operations;
import com.luka02.heartbeat.store.QueryException;
import com.luka02.heartbeat.store.QueryResult;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's HTTP API, bound to 127.0.0.1 only.
 *
 * <ul>
 *   <li>{@code GET /query?sql=...} a JSON array of row objects ({@code &shape=table} for columns and rows)
 *   <li>{@code GET /status}
 *   <li>{@code POST /catchup?since=YYYY-MM-DD&reparse=true&dry_run=true}
 *   <li>{@code POST /rollover?date=YYYY-MM-DD&dry_run=true}
 *   <li>{@code GET /health}, {@code GET /metrics}, {@code GET /api/...} and the status page at {@code /}
 *       (see {@link Operations})
 * </ul>
 *
 * <p>Every route is behind {@link BrowserGuard}: the four above need its client header on every request.
 */
final class ApiServer {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
  private static final ObjectMapper JSON = Json.mapper();

  private final HttpServer server;
  private final ExecutorService pool;

  private ApiServer(HttpServer server, ExecutorService pool) {
    this.server = server;
    this.pool = pool;
  }

  static ApiServer start(int port, Backend backend) throws IOException {
    return start(port, backend, null);
  }

  /** With a token, every request must carry {@code Authorization: Bearer <token>}, or gets 401. */
  static ApiServer start(int port, Backend backend, ApiToken token) throws IOException {
    return start(port, backend, token, null);
  }

  /** As above, with the operations endpoints of {@code ops} when it is not null. */
  static ApiServer start(int port, Backend backend, ApiToken token, Operations ops) throws IOException {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    } catch (java.net.BindException e) {
      throw new IOException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage()
          + " (set another port with --port or \"port\" in the config; 0 picks a free one)", e);
    }
    ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(pool);
    Filter auth = token == null ? null : new Filter() {
      @Override
      public void doFilter(HttpExchange ex, Chain chain) throws IOException {
        if (token.accepts(ex.getRequestHeaders().getFirst("Authorization"))) {
          chain.doFilter(ex);
          return;
        }
        try (ex) {
          ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
          send(ex, 401, Map.of("error", "expected 'Authorization: Bearer <token>' (see apiTokenFile)"));
        }
      }

      @Override
      public String description() {
        return "bearer token";
      }
    };
    BrowserGuard guard = new BrowserGuard(ops == null ? reason -> { } : ops::refusedRequest);
    // The CLI's routes answer only requests that carry the client header, which no web page can send.
    List<Filter> clients = filters(guard.forClients(), auth);
    List<Filter> pages = filters(guard.forPages(), auth);
    route(server, clients, "/query", ex -> handle(ex, "GET", () -> query(ex, backend, params(ex))));
    route(server, clients, "/status", ex -> handle(ex, "GET", backend::status));
    route(server, clients, "/catchup", ex -> handle(ex, "POST", () -> backend.catchup(catchupOptions(params(ex)))));
    route(server, clients, "/rollover", ex -> handle(ex, "POST", () -> {
      Map<String, String> p = params(ex);
      return backend.rollover(date(p.get("date"), "date"), Boolean.parseBoolean(p.get("dry_run")));
    }));
    if (ops != null) {
      route(server, pages, "/health", ops.health());
      route(server, pages, "/metrics", ops.metrics());
      route(server, pages, "/api/", ops.api());
      // The page's HTML, JS and CSS hold no data, and a browser cannot send the token for them:
      // they are served without it, and the page sends the token with every request for data.
      route(server, filters(guard.forPages(), null), "/", ops.page());
    } else {
      route(server, pages, "/", ex -> {
        try (ex) {
          send(ex, 404, Map.of("error", "no such route: " + ex.getRequestURI().getRawPath()));
        }
      });
    }
    server.start();
    return new ApiServer(server, pool);
  }

  /** Every route goes through here, so that none escapes the browser guard and the token check. */
  static void route(HttpServer server, List<Filter> filters, String path, HttpHandler handler) {
    server.createContext(path, handler).getFilters().addAll(filters);
  }

  /** The browser guard first, so that a page learns nothing, not even whether a token is needed. */
  private static List<Filter> filters(Filter guard, Filter auth) {
    return auth == null ? List.of(guard) : List.of(guard, auth);
  }

  int port() {
    return server.getAddress().getPort();
  }

  void stop() {
    server.stop(0);
    pool.shutdownNow();
  }

  private static Object query(HttpExchange ex, Backend backend, Map<String, String> p) {
    QueryResult r = backend.query(p.get("sql"));
    if (r.truncated()) {
      ex.getResponseHeaders().set(Truncation.HEADER, String.valueOf(r.rows().size()));
    }
    if ("table".equals(p.get("shape"))) {
      return r;
    }
    List<Map<String, Object>> rows = new ArrayList<>(r.rows().size());
    for (List<Object> row : r.rows()) {
      Map<String, Object> obj = new LinkedHashMap<>();
      for (int i = 0; i < r.columns().size(); i++) {
        obj.put(r.columns().get(i), row.get(i));
      }
      rows.add(obj);
    }
    if (r.truncated()) {
      rows.add(Truncation.marker(r));
    }
    return rows;
  }

  static CatchupOptions catchupOptions(Map<String, String> p) {
    return new CatchupOptions(date(p.get("since"), "since"), Boolean.parseBoolean(p.get("reparse")),
        Boolean.parseBoolean(p.get("dry_run")));
  }

  private static LocalDate date(String value, String name) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("expected " + name + " as YYYY-MM-DD, found '" + value + "'");
    }
  }

  interface Action {
    Object run() throws Exception;
  }

  private static void handle(HttpExchange ex, String method, Action action) throws IOException {
    try (ex) {
      if (!method.equals(ex.getRequestMethod())) {
        send(ex, 405, Map.of("error", "use " + method + " for " + ex.getRequestURI().getPath()));
        return;
      }
      try {
        send(ex, 200, action.run());
      } catch (QueryException e) {
        if (e.reason() == QueryException.Reason.BUSY) {
          ex.getResponseHeaders().set("Retry-After", "5");
        }
        send(ex, e.reason().httpStatus(), Map.of("error", String.valueOf(e.getMessage())));
      } catch (IllegalArgumentException e) {
        send(ex, 400, Map.of("error", String.valueOf(e.getMessage())));
      } catch (Exception e) {
        log.error("{} {} failed", method, ex.getRequestURI().getPath(), e);
        send(ex, 500, Map.of("error", String.valueOf(e.getMessage())));
      }
    }
  }

  static void send(HttpExchange ex, int code, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    if ("HEAD".equals(ex.getRequestMethod())) {
      ex.sendResponseHeaders(code, -1); // a body would break the connection
      return;
    }
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  static Map<String, String> params(HttpExchange ex) {
    Map<String, String> out = new HashMap<>();
    String q = ex.getRequestURI().getRawQuery();
    if (q == null) {
      return out;
    }
    for (String pair : q.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }
}
