package com.luka02.heartbeat.export;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Temp-name-then-rename writes: a crash leaves the old file or the new one, never a part. */
final class AtomicFiles {
  private AtomicFiles() {}

  /** A hidden name in the same folder, so that a rename is atomic and globs like *.parquet skip it. */
  static Path tempFor(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
  }

  static boolean isTemp(Path p) {
    String n = p.getFileName().toString();
    return n.startsWith(".") && n.contains(".tmp-");
  }

  static void writeString(Path target, String content) throws IOException {
    Path tmp = tempFor(target);
    try {
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      commit(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Forces {@code tmp} to disk and renames it over {@code target}. */
  static void commit(Path tmp, Path target) throws IOException {
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename atomically within " + target.getParent() + ": " + e.getMessage(), e);
    }
    forceDirectory(target.getParent());
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Not every platform can sync a directory; the rename itself is still atomic.
    }
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
