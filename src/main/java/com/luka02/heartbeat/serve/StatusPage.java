package com.luka02.heartbeat.serve;

import com.luka02.heartbeat.io.Json;
import com.luka02.heartbeat.ops.Timeline;
import com.luka02.heartbeat.store.QueryResult;
import com.luka02.heartbeat.store.StoreReader;
import com.luka02.heartbeat.store.ReportRow;
import com.luka02.heartbeat.store.StoreStats;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
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
public final class StatusPage {
  private static final Logger log = LoggerFactory.getLogger(StatusPage.class);
  private static final String RESOURCES = "/com/luka02/heartbeat/serve/page/";
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
  private final java.util.function.Supplier<Object> overview;

  StatusPage(StoreReader store, Clock clock, ZoneId zone, Duration cadence,
      java.util.function.Supplier<Object> overview) {
    this.overview = overview;
    this.store = store;
    this.clock = clock;
    this.zone = zone;
    this.cadence = cadence;
  }

  /** {@code /} and its files. */
  void page(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String file = FILES.get(path);
      if (file == null) {
        Http.error(ex, 404, "no such page: " + path);
        return;
      }
      if (!Http.allow(ex, "GET")) {
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
      if (!Http.allow(ex, "GET")) {
        return;
      }
      String path = ex.getRequestURI().getPath();
      Map<String, String> params = Http.params(ex);
      try {
        Object body = switch (path) {
          case "/api/timeline" -> timeline(intParam(params, "hours", 24, 1, MAX_HOURS));
          case "/api/overview" -> overview.get();
          case "/api/latest" -> latest();
          case "/api/rollovers" -> rollovers(intParam(params, "limit", 30, 1, MAX_ROLLOVERS));
          default -> null;
        };
        if (body == null) {
          Http.error(ex, 404, "no such endpoint: " + path
              + " (try /api/overview, /api/timeline, /api/latest or /api/rollovers)");
          return;
        }
        Http.json(ex, 200, body);
      } catch (IllegalArgumentException e) {
        Http.error(ex, 400, e.getMessage());
      } catch (RuntimeException e) {
        log.error("GET {} failed", path, e);
        Http.error(ex, 500, e.getMessage());
      }
    }
  }

  Timeline timeline(int hours) {
    Instant to = clock.instant();
    Instant from = to.minus(Duration.ofHours(hours));
    List<ReportRow> rows = ReportRow.timeline(store.reportsBetween(from, to, hours * 3600), Json.mapper());
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
    ReportRow row = ReportRow.latest(store.latestReport(), Json.mapper());
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
}
