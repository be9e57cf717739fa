package com.luka02.heartbeat.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;

/** Report files for ingest tests: the real reports (test-resource copies), written in place like the monitor. */
final class Reports {
  /** A healthy real report. */
  static final String HEALTHY = "heartbeat_2025-10-27_21-40-31.md";
  static final String HEALTHY_TS = "2025-10-27T21:40:31.871Z";
  /** Counts the rows holding {@link #HEALTHY}'s report. */
  static final String HEALTHY_ROW =
      "SELECT count(*) FROM heartbeats WHERE \"timestamp\" = TIMESTAMPTZ '" + HEALTHY_TS + "'";
  /** A real CRITICAL report (database file not found). */
  static final String CRITICAL = "heartbeat_2025-10-29_11-30-51.md";

  private Reports() {}

  static Path resource(String folder) {
    try {
      return Path.of(Reports.class.getResource("/" + folder).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static String realText(String name) throws IOException {
    return Files.readString(resource("heartbeats-real").resolve(name), UTF_8);
  }

  /** Copies every file of a test-resource folder into {@code dir}; returns the copies. */
  static List<Path> copyAll(String folder, Path dir) throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> files = Files.list(resource(folder))) {
      List<Path> copies = files.map(f -> dir.resolve(f.getFileName().toString())).toList();
      for (Path copy : copies) {
        Files.copy(resource(folder).resolve(copy.getFileName().toString()), copy);
      }
      return copies;
    }
  }

  static Path copyReal(String name, Path dir) throws IOException {
    Files.createDirectories(dir);
    return Files.copy(resource("heartbeats-real").resolve(name), dir.resolve(name));
  }

  static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text, UTF_8);
  }

  /** Rewrites a file in place as the monitor's next run would: new bytes, a later mtime. */
  static void rewrite(Path file, String text) throws IOException {
    FileTime before = Files.getLastModifiedTime(file);
    Files.writeString(file, text, UTF_8);
    Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 60_000));
  }

  /** Replaces text in place and puts the old mtime back, so size and mtime look untouched. */
  static void editKeepingSizeAndMtime(Path file, String from, String to) throws IOException {
    if (from.length() != to.length()) {
      throw new IllegalArgumentException("'" + from + "' and '" + to + "' differ in length");
    }
    FileTime before = Files.getLastModifiedTime(file);
    String text = Files.readString(file, UTF_8);
    if (!text.contains(from)) {
      throw new IllegalArgumentException(file + " does not contain '" + from + "'");
    }
    Files.writeString(file, text.replace(from, to), UTF_8);
    Files.setLastModifiedTime(file, before);
  }
}
