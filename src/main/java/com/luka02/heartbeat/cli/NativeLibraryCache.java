package com.luka02.heartbeat.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * One unpacked copy of the DuckDB native library per version, kept in the user's cache folder and
 * checked before every use. The driver would otherwise inflate its 60-110 MB library into a new temp
 * file at every start, about half a second. The copy is checked against the CRC-32 and size that the
 * jar records for the entry (reading them costs nothing; a check of the copy costs 20-40 ms): a
 * truncated or damaged copy is replaced, never loaded. The check guards against damage, not against
 * someone who can write to the user's cache folder: they could change the jar as well. The relaunch
 * keeps JNA's dispatch library the same way (see {@link Relaunch}).
 */
final class NativeLibraryCache {
  /** The file name of the copy; {@code System.load} does not care about the suffix. */
  static final String FILE = "libduckdb_java.so";
  /** Copies of other versions untouched for this long belong to no starting process. */
  private static final Duration STALE_AFTER = Duration.ofMinutes(2);

  private final Path dir;
  private final String file;
  private final PrintStream warnings;

  NativeLibraryCache(Path dir, PrintStream warnings) {
    this(dir, FILE, warnings);
  }

  /** A cache of the library named {@code file} (the name its loader looks for) under {@code dir}. */
  NativeLibraryCache(Path dir, String file, PrintStream warnings) {
    this.dir = dir;
    this.file = file;
    this.warnings = warnings;
  }

  /**
   * The copy of {@code library} unpacked before, when it exists and matches; null otherwise (nothing
   * is unpacked). Other versions' copies are removed when it matches.
   */
  Path existingCopy(URL library) throws IOException {
    Expected expected = expected(library);
    Path versionDir = versionDir(expected);
    Path copy = versionDir.resolve(file);
    if (Files.isRegularFile(copy) && matches(copy, expected)) {
      removeOtherVersions(versionDir);
      return copy;
    }
    return null;
  }

  /** A verified copy of {@code library}, unpacked now only if no good copy exists; other versions' copies are removed. */
  Path copyOf(URL library) throws IOException {
    Expected expected = expected(library);
    Path versionDir = versionDir(expected);
    Path copy = versionDir.resolve(file);
    if (Files.isRegularFile(copy)) {
      if (matches(copy, expected)) {
        removeOtherVersions(versionDir);
        return copy;
      }
      warnings.println("warning: the cached native library " + copy
          + " does not match the one in the jar (damaged or truncated); unpacking it again");
    }
    com.luka02.heartbeat.config.OwnerOnly.createDirectories(versionDir);
    Path tmp = Files.createTempFile(versionDir, file, ".part");
    try {
      long crc;
      try (InputStream in = library.openStream(); OutputStream out = Files.newOutputStream(tmp)) {
        crc = copy(in, out);
      }
      if (crc != expected.crc() || Files.size(tmp) != expected.size()) {
        throw new IOException("unpacking " + library + " gave a file that does not match the jar's record of it");
      }
      // A rename, so a process starting at the same moment sees the old copy or the whole new one.
      Files.move(tmp, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    removeOtherVersions(versionDir);
    return copy;
  }

  record Expected(long crc, long size) {}

  /**
   * The folder of one version, named as {@code String.format("%08x-%d", crc, size)} would name it, but
   * without the formatter: it loaded the locale's number formats, 5-10 ms of each start (the relaunch's
   * JVM among them).
   */
  private Path versionDir(Expected expected) {
    String crc = Long.toHexString(expected.crc());
    return dir.resolve("0".repeat(Math.max(0, 8 - crc.length())) + crc + "-" + expected.size());
  }

  /** The jar's own record of the entry when there is one, else the resource's checksum as read now. */
  static Expected expected(URL library) throws IOException {
    URLConnection c = library.openConnection();
    if (c instanceof JarURLConnection jar) {
      c.setUseCaches(false);
      var entry = jar.getJarEntry();
      if (entry.getCrc() != -1 && entry.getSize() != -1) {
        return new Expected(entry.getCrc(), entry.getSize());
      }
    }
    try (InputStream in = library.openStream()) {
      CountingCrc out = new CountingCrc();
      long crc = copy(in, out);
      return new Expected(crc, out.size);
    }
  }

  static boolean matches(Path copy, Expected expected) throws IOException {
    if (Files.size(copy) != expected.size()) {
      return false;
    }
    try (InputStream in = Files.newInputStream(copy)) {
      return copy(in, OutputStream.nullOutputStream()) == expected.crc();
    }
  }

  private static long copy(InputStream in, OutputStream out) throws IOException {
    CRC32 crc = new CRC32();
    byte[] buf = new byte[1 << 20];
    for (int n; (n = in.read(buf)) > 0; ) {
      crc.update(buf, 0, n);
      out.write(buf, 0, n);
    }
    return crc.getValue();
  }

  /** Deleting a library another live process has loaded is safe on Unix: its mapping stays. */
  private void removeOtherVersions(Path keep) {
    Instant staleBefore = Instant.now().minus(STALE_AFTER);
    try (DirectoryStream<Path> versions = Files.newDirectoryStream(dir)) {
      for (Path v : versions) {
        if (!v.equals(keep) && Files.isDirectory(v) && Files.getLastModifiedTime(v).toInstant().isBefore(staleBefore)) {
          try (Stream<Path> files = Files.walk(v)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
              Files.deleteIfExists(p);
            }
          }
        }
      }
    } catch (IOException e) {
      warnings.println("warning: cannot remove old copies of a native library under " + dir + ": " + e.getMessage());
    }
  }

  private static final class CountingCrc extends OutputStream {
    long size;

    @Override
    public void write(int b) {
      size++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      size += len;
    }
  }
}
