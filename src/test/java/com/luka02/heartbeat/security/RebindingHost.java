package com.luka02.heartbeat.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What DNS rebinding gives an attacker, on loopback: a host name ({@code rebind.example}, which the
 * browser is told resolves to 127.0.0.2) that first serves the attacker's page and then reaches the
 * agent on the same port. The page's later requests are same-origin for the browser, so they carry
 * any header it likes and can read the answers; this server passes them to the agent byte for byte,
 * with the browser's own {@code Host: rebind.example:PORT}, as the rebound DNS answer would.
 */
final class RebindingHost implements AutoCloseable {
  private static final int READ_TIMEOUT_MS = 5_000;

  private final ServerSocket server;
  private final int agentPort;
  private final byte[] page;
  private final AtomicInteger forwarded = new AtomicInteger();

  private RebindingHost(ServerSocket server, int agentPort, String html) {
    this.server = server;
    this.agentPort = agentPort;
    byte[] body = html.getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + body.length
        + "\r\nConnection: close\r\n\r\n";
    this.page = concat(head.getBytes(StandardCharsets.US_ASCII), body);
  }

  /** Listens on 127.0.0.2 at the agent's port, serving {@code html} at {@code /}. */
  static RebindingHost start(int agentPort, String html) throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), agentPort));
    RebindingHost host = new RebindingHost(server, agentPort, html);
    daemon("rebinding-accept", host::accept);
    return host;
  }

  /** Connections passed on to the agent (the browser may send several requests on one). */
  int forwarded() {
    return forwarded.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        daemon("rebinding-conn", () -> serve(client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      client.setSoTimeout(READ_TIMEOUT_MS);
      byte[] head = readHead(client.getInputStream());
      String requestLine = new String(head, StandardCharsets.ISO_8859_1).split("\r\n", 2)[0];
      if (requestLine.startsWith("GET / ") || requestLine.startsWith("GET /favicon.ico ")) {
        client.getOutputStream().write(page); // the favicon gets the page too: nobody looks at it
        return;
      }
      forwarded.incrementAndGet();
      try (Socket agent = new Socket(InetAddress.getByName("127.0.0.1"), agentPort)) {
        agent.setSoTimeout(READ_TIMEOUT_MS);
        agent.getOutputStream().write(head);
        daemon("rebinding-up", () -> pipe(client, agent));
        pipe(agent, client);
      }
    } catch (IOException e) {
      // the browser or the agent closed the connection: nothing to do
    }
  }

  /** Reads up to the end of the request head; the body, if any, follows through the pipe. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0 || out.size() > 65_536) {
        throw new IOException("no request head");
      }
      out.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return out.toByteArray();
  }

  private static void pipe(Socket from, Socket to) {
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      in.transferTo(out);
      to.shutdownOutput();
    } catch (IOException e) {
      // one side closed
    }
  }

  private static void daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
