package com.luka02.heartbeat.ops;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An incoming webhook on loopback that queues each body it receives; answers 204 unless told otherwise. */
final class WebhookReceiver implements AutoCloseable {
  private final HttpServer server;
  private final BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
  private final ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>();

  WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.createContext("/hook", ex -> {
      try (ex) {
        bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Integer code = answers.poll();
        ex.sendResponseHeaders(code == null ? 204 : code, -1);
      }
    });
    server.start();
  }

  /** The next requests get these status codes, in order; then 204 again. */
  void answer(List<Integer> codes) {
    answers.addAll(codes);
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook/secret-token");
  }

  /** The next body received within {@code millis}, or null. */
  String next(long millis) throws InterruptedException {
    return bodies.poll(millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
