package com.luka02.heartbeat.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written by hand on a plain socket to 127.0.0.1: Java's HTTP clients will not send a
 * {@code Host} of our choosing, and a browser under DNS rebinding sends exactly that.
 */
final class RawHttp {
  private static final int TIMEOUT_MS = 10_000;

  private RawHttp() {}

  /** An answer: status, headers by lower-case name, and body. */
  record Response(int status, Map<String, List<String>> headers, String body) {
    /** Whether any {@code Access-Control-*} header came back: none ever should. */
    boolean grantsCors() {
      return headers.keySet().stream().anyMatch(h -> h.startsWith("access-control-"));
    }
  }

  /**
   * Sends {@code method target} with exactly {@code headerLines} (each "Name: value"; add the Host
   * yourself) and {@code body} (null for none), on a connection of its own.
   */
  static Response send(int port, String method, String target, List<String> headerLines, String body)
      throws IOException {
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    StringBuilder req = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
    for (String h : headerLines) {
      req.append(h).append("\r\n");
    }
    if (body != null) {
      req.append("Content-Length: ").append(bytes.length).append("\r\n");
    }
    req.append("Connection: close\r\n\r\n");
    try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
      s.setSoTimeout(TIMEOUT_MS);
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(bytes);
      out.flush();
      return parse(s.getInputStream());
    }
  }

  private static Response parse(InputStream in) throws IOException {
    String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    int end = all.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new IOException("expected an HTTP response, found: " + all);
    }
    String[] lines = all.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.computeIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(lines[i].substring(colon + 1).strip());
    }
    return new Response(status, headers, all.substring(end + 4));
  }
}
