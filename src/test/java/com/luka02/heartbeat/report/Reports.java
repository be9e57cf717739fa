package com.luka02.heartbeat.report;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real reports (test-resource copies of shared/heartbeats-real) and the repo's samples. */
final class Reports {
  /** A healthy real report, the base of the hand-made variants. */
  static final String HEALTHY = "heartbeat_2025-10-27_21-40-31.md";
  /** A real CRITICAL report whose database message is a 30-line Node stack trace. */
  static final String STACK_TRACE = "heartbeat_2025-10-27_17-52-10.md";

  private Reports() {}

  static Path realDir() {
    try {
      return Path.of(Reports.class.getResource("/heartbeats-real").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] real(String name) {
    return read(realDir().resolve(name));
  }

  static String realText(String name) {
    return new String(real(name), UTF_8);
  }

  static byte[] sample(String name) {
    return read(Path.of("samples", name));
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
