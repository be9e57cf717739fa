package com.luka02.heartbeat.serve;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses every request a web page could have made: the agent's loopback port is reachable from any
 * page the user opens, and, by DNS rebinding, under any name a page chooses.
 *
 * <p>It runs before every route (and before the token check), and refuses:
 * <ul>
 *   <li>a {@code Host} other than {@code 127.0.0.1}, {@code localhost} or {@code [::1]} with the agent's
 *       own port, or none (421): a rebound name ({@code evil.example:8787}) is not one of them;
 *   <li>an {@code Origin} other than the agent's own ({@code http://} and the request's {@code Host}),
 *       {@code Origin: null} included (403);
 *   <li>{@code Sec-Fetch-Site} other than {@code same-origin} or {@code none} (403): {@code same-site}
 *       is refused too, since for a browser every port of 127.0.0.1 is the same site, so it would let
 *       in any page served by another local program;
 *   <li>{@code OPTIONS} (405): no preflight is ever answered, so no page gets a CORS permission;
 *   <li>a request without {@link #CLIENT_HEADER} that is not a GET or HEAD, or that goes to a route for
 *       clients only (403). A page can send a custom header to another origin only after a preflight,
 *       and the preflight is refused, so the header proves the request came from no web page.
 * </ul>
 */
public final class BrowserGuard {
  private static final Logger log = LoggerFactory.getLogger(BrowserGuard.class);
  /** The header that the CLI and local tools send and a web page cannot; its value is not checked. */
  public static final String CLIENT_HEADER = "X-Heartbeat-Client";
  private static final List<String> LOOPBACK_NAMES = List.of("127.0.0.1", "localhost", "[::1]");
  private static final Set<String> OWN_SITE = Set.of("same-origin", "none");

  /** Why a request was refused: the label of the refusal metric, the HTTP status and the message. */
  record Refusal(String reason, int status, String message) {}

  private final Consumer<String> refused;
  private final Map<String, Boolean> logged = new ConcurrentHashMap<>();

  /** A guard that tells {@code refused} the reason of each refusal (for the metrics). */
  BrowserGuard(Consumer<String> refused) {
    this.refused = refused;
  }

  /** The filter for routes that browsers may read (the page, its data, health, metrics). */
  Filter forPages() {
    return filter(false);
  }

  /** The filter for the CLI's routes: every request needs {@link #CLIENT_HEADER}, reads included. */
  Filter forClients() {
    return filter(true);
  }

  private Filter filter(boolean clientsOnly) {
    return new Filter() {
      @Override
      public void doFilter(HttpExchange ex, Chain chain) throws IOException {
        Refusal r = check(ex.getRequestMethod(), ex.getRequestURI(), ex.getRequestHeaders(),
            ex.getLocalAddress().getPort(), clientsOnly);
        if (r == null) {
          chain.doFilter(ex);
          return;
        }
        refuse(ex, r);
      }

      @Override
      public String description() {
        return clientsOnly ? "same-origin, client header on every request" : "same-origin, client header on writes";
      }
    };
  }

  private void refuse(HttpExchange ex, Refusal r) throws IOException {
    refused.accept(r.reason());
    // A page can send thousands of these: the first of each kind is logged, the rest only counted.
    if (logged.putIfAbsent(r.reason(), Boolean.TRUE) == null) {
      log.warn("refused {} {} from {} ({}); further refusals are counted in heartbeat_http_refused_total",
          ex.getRequestMethod(), ex.getRequestURI().getRawPath(), ex.getRemoteAddress(), r.message());
    }
    try (ex) {
      if (r.status() == 405) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD, POST");
      }
      Http.json(ex, r.status(), Map.of("error", r.message()));
    }
  }

  /** Why this request must be refused, or null when it may pass. */
  static Refusal check(String method, URI uri, Headers headers, int port, boolean clientsOnly) {
    String host = single(headers, "Host");
    List<String> allowed = allowedHosts(port);
    if (host == null || !allowed.contains(host.strip().toLowerCase(Locale.ROOT))) {
      return new Refusal("host", 421, "expected the Host header " + String.join(", ", allowed)
          + " (the agent answers only on loopback, under its own port), found "
          + (host == null ? describeMissing(headers, "Host") : "'" + host + "'"));
    }
    // The server hands every request over with an absolute URI; one whose authority is not the Host
    // checked above came as a proxy request for another site.
    if (uri.getRawAuthority() != null && !uri.getRawAuthority().equalsIgnoreCase(host.strip())) {
      return new Refusal("host", 421, "expected a path such as /status after " + method + ", found the absolute URL "
          + uri);
    }
    String ownOrigin = "http://" + host.strip().toLowerCase(Locale.ROOT);
    String site = single(headers, "Sec-Fetch-Site");
    if (headers.containsKey("Sec-Fetch-Site") && (site == null || !OWN_SITE.contains(site.toLowerCase(Locale.ROOT)))) {
      return new Refusal("cross_site", 403, "refused a request from another site (Sec-Fetch-Site: "
          + String.join(", ", headers.get("Sec-Fetch-Site")) + "): expected same-origin or none; the agent serves"
          + " only its own page at " + ownOrigin + "/, the CLI and local tools");
    }
    String origin = single(headers, "Origin");
    if (headers.containsKey("Origin") && (origin == null || !ownOrigin.equalsIgnoreCase(origin.strip()))) {
      return new Refusal("cross_site", 403, "refused a request from the origin '"
          + String.join(", ", headers.get("Origin")) + "': expected no Origin or " + ownOrigin + " (the agent's own page)");
    }
    if ("OPTIONS".equals(method)) {
      return new Refusal("method", 405, "OPTIONS is not answered: the agent allows no cross-origin requests (no CORS)");
    }
    boolean read = "GET".equals(method) || "HEAD".equals(method);
    if ((clientsOnly || !read) && !headers.containsKey(CLIENT_HEADER)) {
      return new Refusal("client_header", 403, "expected the header '" + CLIENT_HEADER + ": 1' on " + method + " "
          + uri.getRawPath() + ", which no web page can send: the CLI sends it; with curl add -H '"
          + CLIENT_HEADER + ": 1'");
    }
    return null;
  }

  /** The loopback names with the port; on port 80 also without, since browsers leave out a default port. */
  static List<String> allowedHosts(int port) {
    List<String> out = new ArrayList<>();
    for (String name : LOOPBACK_NAMES) {
      out.add(name + ":" + port);
    }
    if (port == 80) {
      out.addAll(LOOPBACK_NAMES);
    }
    return out;
  }

  /** The header's only value, or null when it is absent or repeated. */
  private static String single(Headers headers, String name) {
    List<String> values = headers.get(name);
    return values == null || values.size() != 1 ? null : values.get(0);
  }

  private static String describeMissing(Headers headers, String name) {
    List<String> values = headers.get(name);
    return values == null ? "none" : values.size() + " of them: " + values;
  }
}
