package com.luka02.heartbeat.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.luka02.heartbeat.store.QueryResult;
import com.luka02.heartbeat.store.StoreReader;
import com.luka02.heartbeat.store.ReportRow;
import com.luka02.heartbeat.store.StoreStats;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status page: static files from the classpath (no CDN, no fonts, no build step) and the JSON
 * they fetch. {@code GET /api/timeline?hours=24}, {@code /api/latest}, {@code /api/rollovers}.
 */
final class StatusPage {
  private static final Logger log = LoggerFactory.getLogger(StatusPage.class);
  private static final String RESOURCES = "/com/luka02/heartbeat/ops/page/";
  /** The files the page is made of; nothing else on the classpath is served. */
  private static final Map<String, String> FILES = Map.of(
      "/", "index.html text/html",
      "/index.html", "index.html text/html",
      "/static/status.js", "status.js text/javascript",
      "/static/status.css", "status.css text/css");
  private static final int MAX_HOURS = 24 * 14;
  private static final int MAX_ROLLOVERS = 60;

  private final StoreReader store;
  private final Clock clock;
  private final ZoneId zone;
  private final Duration cadence;
  private final ObjectMapper json;
  private final java.util.function.Supplier<Object> overview;

  StatusPage(StoreReader store, Clock clock, ZoneId zone, Duration cadence, ObjectMapper json,
      java.util.function.Supplier<Object> overview) {
    this.overview = overview;
    this.store = store;
    this.clock = clock;
    this.zone = zone;
    this.cadence = cadence;
    this.json = json;
  }

  /** {@code /} and its files. */
  void page(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String file = FILES.get(path);
      if (file == null) {
        Http.json(ex, 404, Map.of("error", "no such page: " + path), json);
        return;
      }
      if (!Http.allow(ex, "GET", json)) {
        return;
      }
      String[] nameAndType = file.split(" ");
      byte[] bytes;
      try (InputStream in = StatusPage.class.getResourceAsStream(RESOURCES + nameAndType[0])) {
        if (in == null) {
          throw new IOException(nameAndType[0] + " is missing from the jar");
        }
        bytes = in.readAllBytes();
      }
      // The page may load nothing from elsewhere: it must work offline, and it never leaks the token.
      ex.getResponseHeaders().set("Content-Security-Policy",
          "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'");
      ex.getResponseHeaders().set("Cache-Control", "no-cache");
      Http.send(ex, 200, nameAndType[1] + "; charset=utf-8", bytes);
    }
  }

  /** {@code /api/...}. */
  void api(HttpExchange ex) throws IOException {
    try (ex) {
      if (!Http.allow(ex, "GET", json)) {
        return;
      }
      String path = ex.getRequestURI().getPath();
      Map<String, String> params = params(ex.getRequestURI().getRawQuery());
      try {
        Object body = switch (path) {
          case "/api/timeline" -> timeline(intParam(params, "hours", 24, 1, MAX_HOURS));
          case "/api/overview" -> overview.get();
          case "/api/latest" -> latest();
          case "/api/rollovers" -> rollovers(intParam(params, "limit", 30, 1, MAX_ROLLOVERS));
          default -> null;
        };
        if (body == null) {
          Http.json(ex, 404, Map.of("error", "no such endpoint: " + path
              + " (try /api/overview, /api/timeline, /api/latest or /api/rollovers)"), json);
          return;
        }
        Http.json(ex, 200, body, json);
      } catch (IllegalArgumentException e) {
        Http.json(ex, 400, Map.of("error", String.valueOf(e.getMessage())), json);
      } catch (RuntimeException e) {
        log.error("GET {} failed", path, e);
        Http.json(ex, 500, Map.of("error", String.valueOf(e.getMessage())), json);
      }
    }
  }

  Timeline timeline(int hours) {
    Instant to = clock.instant();
    Instant from = to.minus(Duration.ofHours(hours));
    List<ReportRow> rows = ReportRow.timeline(store.reportsBetween(from, to, hours * 3600), json);
    List<Timeline.Report> reports = new ArrayList<>(rows.size());
    for (ReportRow row : rows) {
      List<Timeline.Check> checks = row.checks().stream()
          .map(c -> new Timeline.Check(c.section(), c.label(), c.status())).toList();
      reports.add(new Timeline.Report(row.at(), row.filename(), row.status(), checks, row.durationMs()));
    }
    return Timeline.of(reports, from, to, cadence);
  }

  /** The newest report with every check and its full message; null fields when there is none. */
  Map<String, Object> latest() {
    ReportRow row = ReportRow.latest(store.latestReport(), json);
    Map<String, Object> out = new LinkedHashMap<>();
    if (row == null) {
      out.put("report", null);
      return out;
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("timestamp", row.at());
    report.put("filename", row.filename());
    report.put("status", row.status());
    report.put("durationMs", row.durationMs());
    report.put("checks", row.checks());
    report.put("summary", row.summary());
    report.put("sourcePath", row.sourcePath());
    report.put("ingestedAt", row.ingestedAt());
    out.put("report", report);
    return out;
  }

  Map<String, Object> rollovers(int limit) {
    StoreStats stats = store.stats(LocalDate.ofInstant(clock.instant(), zone));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("exports", store.exports(limit));
    out.put("lastError", stats.lastRolloverError());
    out.put("lastErrorAt", stats.lastRolloverErrorAt());
    return out;
  }

  private static int intParam(Map<String, String> params, String name, int fallback, int min, int max) {
    String v = params.get(name);
    if (v == null || v.isEmpty()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("expected " + name + " between " + min + " and " + max + ", found '" + v + "'");
  }

  private static Map<String, String> params(String rawQuery) {
    Map<String, String> out = new LinkedHashMap<>();
    if (rawQuery == null) {
      return out;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  /** The little HTTP the ops endpoints need. */
  static final class Http {
    private Http() {}

    /** Answers 405 and returns false unless the method is {@code method} (or HEAD, for GET). */
    static boolean allow(HttpExchange ex, String method, ObjectMapper json) throws IOException {
      String m = ex.getRequestMethod();
      if (m.equals(method) || ("GET".equals(method) && "HEAD".equals(m))) {
        return true;
      }
      json(ex, 405, Map.of("error", "use " + method + " for " + ex.getRequestURI().getPath()), json);
      return false;
    }

    static void json(HttpExchange ex, int code, Object body, ObjectMapper json) throws IOException {
      send(ex, code, "application/json; charset=utf-8", json.writeValueAsBytes(body));
    }

    static void send(HttpExchange ex, int code, String contentType, byte[] bytes) throws IOException {
      ex.getResponseHeaders().set("Content-Type", contentType);
      boolean head = "HEAD".equals(ex.getRequestMethod());
      ex.sendResponseHeaders(code, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }
}
