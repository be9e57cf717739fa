package com.luka02.heartbeat.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Gives the DuckDB driver a temp folder the app owns. The driver copies its ~100 MB native library
 * into {@code java.io.tmpdir} at every start and leaves it behind after a crash.
 */
final class NativeLibraryHome {
  /** Copies younger than this may belong to a process that is starting right now. */
  private static final Duration STALE_AFTER = Duration.ofMinutes(2);

  private NativeLibraryHome() {}

  /** Must run before anything creates a temp file: the JDK reads java.io.tmpdir once. */
  static void prepare() {
    if (System.getProperty("heartbeat.keepTmpdir") != null) {
      return;
    }
    Path dir = defaultDir();
    try {
      Files.createDirectories(dir);
      removeStaleCopies(dir, Instant.now().minus(STALE_AFTER));
      System.setProperty("java.io.tmpdir", dir.toString());
    } catch (IOException e) {
      // The system temp folder still works; only the clean-up is lost.
      System.err.println("warning: cannot use " + dir + " for the DuckDB native library: " + e.getMessage());
    }
  }

  static Path defaultDir() {
    Path home = Path.of(System.getProperty("user.home"));
    String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
    Path cache = os.contains("mac") ? home.resolve("Library/Caches")
        : System.getenv("XDG_CACHE_HOME") != null ? Path.of(System.getenv("XDG_CACHE_HOME"))
        : home.resolve(".cache");
    return cache.resolve("heartbeat-ingester").resolve("tmp");
  }

  /** Deleting a library another live process has loaded is safe on Unix: its mapping stays. */
  static int removeStaleCopies(Path dir, Instant olderThan) throws IOException {
    int removed = 0;
    try (DirectoryStream<Path> copies = Files.newDirectoryStream(dir, "libduckdb_java*")) {
      for (Path copy : copies) {
        if (Files.getLastModifiedTime(copy).toInstant().isBefore(olderThan)) {
          Files.deleteIfExists(copy);
          removed++;
        }
      }
    }
    return removed;
  }
}
