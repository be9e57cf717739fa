package com.luka02.heartbeat.serve;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.ingest.CatchupOptions;
import com.luka02.heartbeat.ops.Health;
import com.luka02.heartbeat.ops.Operations;
import com.luka02.heartbeat.store.QueryException;
import com.luka02.heartbeat.store.QueryResult;
import com.luka02.heartbeat.store.StagingStore;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import com.luka02.heartbeat.io.Json;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.spi.JettyHttpServer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
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
 * The one HTTP server of the product is created here, in {@link #listen}.
 */
public final class ApiServer {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
  /** Request threads; Jetty adds one that accepts and one that selects. */
  private static final int THREADS = 4;
  /** A request thread idle this long ends; two stay. */
  private static final Duration IDLE_THREAD = Duration.ofMinutes(1);
  /** How long a stop waits for requests in flight, which may be reading the store about to close. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(5);

  private final HttpServer server;

  private ApiServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Serves {@code api} and the operations endpoints and status page of {@code ops} and {@code page}
   * on 127.0.0.1:{@code port}; with a token, every data request must carry
   * {@code Authorization: Bearer <token>}, or gets 401.
   */
  public static ApiServer start(int port, AgentApi api, ApiToken token, Operations ops, StatusPage page)
      throws IOException {
    HttpServer server = listen(port);
    Filter auth = token == null ? null : bearer(token);
    BrowserGuard guard = new BrowserGuard(ops::refusedRequest);
    // The CLI's routes answer only requests that carry the client header, which no web page can send.
    List<Filter> clients = filters(guard.forClients(), auth);
    List<Filter> pages = filters(guard.forPages(), auth);
    route(server, clients, "/query", ex -> handle(ex, "GET", () -> query(ex, api, Http.params(ex))));
    route(server, clients, "/status", ex -> handle(ex, "GET", api::status));
    route(server, clients, "/catchup", ex -> handle(ex, "POST", () -> api.catchup(catchupOptions(Http.params(ex)))));
    route(server, clients, "/rollover", ex -> handle(ex, "POST", () -> {
      Map<String, String> p = Http.params(ex);
      return api.rollover(date(p.get("date"), "date"), Boolean.parseBoolean(p.get("dry_run")));
    }));
    route(server, pages, "/health", ex -> health(ex, ops));
    route(server, pages, "/metrics", ex -> metrics(ex, ops));
    route(server, pages, "/api", page::api);
    // The page's HTML, JS and CSS hold no data, and a browser cannot send the token for them:
    // they are served without it, and the page sends the token with every request for data.
    route(server, filters(guard.forPages(), null), "/", page::page);
    server.start();
    return new ApiServer(server);
  }

  /** A status page on {@code store} for {@code config}, with the overview of {@code ops}. */
  public static StatusPage page(Config config, StagingStore store, Clock clock, Operations ops) {
    return new StatusPage(store, clock, config.zone(), config.cadence(), ops::overview);
  }

  /**
   * The product's one HTTP server, on loopback only: the {@code com.sun.net.httpserver} API served by
   * Jetty, whose threads sleep until a request comes (the JDK's own server wakes every second and
   * every ten, which was most of an idle agent's CPU). No {@code Server} header names the software.
   */
  private static HttpServer listen(int port) throws IOException {
    QueuedThreadPool threads = new QueuedThreadPool(THREADS + 2, 2, (int) IDLE_THREAD.toMillis());
    threads.setName("heartbeat-http");
    threads.setDaemon(true);
    threads.setReservedThreads(0);
    threads.setStopTimeout(STOP_WAIT.toMillis());
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    // SQL travels in the query string: room for a long statement (Jetty's default is 8 KiB).
    http.setRequestHeaderSize(64 * 1024);
    Server jetty = new Server(threads);
    jetty.setHandler(new EmptyOriginRefused(new ContextHandlerCollection()));
    jetty.setErrorHandler(ApiServer::refuseMalformed);
    // Our own connector, with the settings above: the provider's bind uses a connector already on the
    // port, where one it made itself would ignore them.
    ServerConnector connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(InetAddress.getLoopbackAddress().getHostAddress());
    connector.setPort(port);
    connector.setAcceptQueueSize(16);
    jetty.addConnector(connector);
    HttpServer server = new JettyHttpServer(jetty, false, http);
    try {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
      return server;
    } catch (IOException e) {
      throw new IOException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage()
          + " (set another port with --port or \"port\" in the config; 0 picks a free one)", e);
    }
  }

  /**
   * A request Jetty refuses before any route sees it (a malformed request line or {@code Host}, a URL
   * over the header limit):
   * the same JSON error body as every other refusal, never an HTML page.
   */
  private static boolean refuseMalformed(Request request, Response response, Callback callback) throws IOException {
    Object why = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
    writeError(response, callback, (why == null ? "bad request" : why)
        + ": expected an HTTP/1.1 request to 127.0.0.1 with one well-formed Host header and a URL under 64 KiB");
    return true;
  }

  /** A refusal's JSON body, {@code {"error": ...}}, as every route's refusals have, at the status already set. */
  private static void writeError(Response response, Callback callback, String message) throws IOException {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(Json.mapper().writeValueAsBytes(Map.of("error", message))), callback);
  }

  /**
   * An {@code Origin} header without a value never reaches {@link BrowserGuard}: the exchange drops
   * empty headers, so it would pass as no Origin at all. It is refused here, where it is still seen.
   */
  private static final class EmptyOriginRefused extends Handler.Wrapper {
    EmptyOriginRefused(Handler routes) {
      super(routes);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      HttpField origin = request.getHeaders().getField(HttpHeader.ORIGIN);
      if (origin != null && origin.getValue().isBlank()) {
        response.setStatus(403);
        writeError(response, callback, "refused a request from the origin '': expected no Origin or http://"
            + request.getHttpURI().getAuthority() + " (the agent's own page)");
        return true;
      }
      return super.handle(request, response, callback);
    }
  }

  private static Filter bearer(ApiToken token) {
    return new Filter() {
      @Override
      public void doFilter(HttpExchange ex, Chain chain) throws IOException {
        if (token.accepts(ex.getRequestHeaders().getFirst("Authorization"))) {
          chain.doFilter(ex);
          return;
        }
        try (ex) {
          ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
          Http.error(ex, 401, "expected 'Authorization: Bearer <token>' (see apiTokenFile)");
        }
      }

      @Override
      public String description() {
        return "bearer token";
      }
    };
  }

  /** Every route goes through here, so that none escapes the browser guard and the token check. */
  static void route(HttpServer server, List<Filter> filters, String path, HttpHandler handler) {
    server.createContext(path, handler).getFilters().addAll(filters);
  }

  /** The browser guard first, so that a page learns nothing, not even whether a token is needed. */
  private static List<Filter> filters(Filter guard, Filter auth) {
    return auth == null ? List.of(guard) : List.of(guard, auth);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops listening, then waits a little for the requests in flight before interrupting them. */
  public void stop() {
    server.stop(0); // Jetty's pool waits STOP_WAIT for its threads, then interrupts them
  }

  /** {@code GET /health}: 200 while watching and the store takes writes, else 503; the body says why. */
  private static void health(HttpExchange ex, Operations ops) throws IOException {
    try (ex) {
      if (Http.allow(ex, "GET")) {
        Health.Report r = ops.health();
        Http.json(ex, r.healthy() ? 200 : 503, r);
      }
    }
  }

  /** {@code GET /metrics} in the Prometheus text format. */
  private static void metrics(HttpExchange ex, Operations ops) throws IOException {
    try (ex) {
      if (Http.allow(ex, "GET")) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        String type = ops.writeMetrics(out, ex.getRequestHeaders().getFirst("Accept"));
        Http.send(ex, 200, type, out.toByteArray());
      }
    }
  }

  private static Object query(HttpExchange ex, AgentApi api, Map<String, String> p) {
    QueryResult r = api.query(p.get("sql"));
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
        Http.refuseMethod(ex, method);
        return;
      }
      try {
        Http.json(ex, 200, action.run());
      } catch (QueryException e) {
        if (e.reason() == QueryException.Reason.BUSY) {
          ex.getResponseHeaders().set("Retry-After", "5");
        }
        Http.error(ex, e.reason().httpStatus(), e.getMessage());
      } catch (IllegalArgumentException e) {
        Http.error(ex, 400, e.getMessage());
      } catch (Exception e) {
        log.error("{} {} failed", method, ex.getRequestURI().getPath(), e);
        Http.error(ex, 500, e.getMessage());
      }
    }
  }
}
