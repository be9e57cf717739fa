package com.luka02.heartbeat.serve;

import com.luka02.heartbeat.io.Json;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The little HTTP every route needs: the query string, the method check, JSON and other bodies. */
final class Http {
  private Http() {}

  /** The request's query parameters, decoded; a name without {@code =} has the empty value. */
  static Map<String, String> params(HttpExchange ex) {
    Map<String, String> out = new LinkedHashMap<>();
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

  /** Answers 405 and returns false unless the method is {@code method} (or HEAD, for GET). */
  static boolean allow(HttpExchange ex, String method) throws IOException {
    String m = ex.getRequestMethod();
    if (m.equals(method) || ("GET".equals(method) && "HEAD".equals(m))) {
      return true;
    }
    refuseMethod(ex, method);
    return false;
  }

  /** The 405 that names the method to use. */
  static void refuseMethod(HttpExchange ex, String method) throws IOException {
    json(ex, 405, Map.of("error", "use " + method + " for " + ex.getRequestURI().getPath()));
  }

  /** {@code body} as JSON with status {@code code}. */
  static void json(HttpExchange ex, int code, Object body) throws IOException {
    send(ex, code, "application/json; charset=utf-8", Json.mapper().writeValueAsBytes(body));
  }

  /** {@code {"error": message}} with status {@code code}. */
  static void error(HttpExchange ex, int code, String message) throws IOException {
    json(ex, code, Map.of("error", String.valueOf(message)));
  }

  /** The response, headers only for HEAD: a body there would break the connection. */
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
