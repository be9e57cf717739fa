package com.luka02.heartbeat.ingest;

import com.luka02.heartbeat.report.ReportParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** File-system access for reports: the walk, bounded reads and hashing. Never follows links. */
final class ReportFiles {
  static final int EXCERPT_CHARS = 2048;

  private ReportFiles() {}

  /** A heartbeat-named entry found by the walk, with the attributes read then. */
  record Entry(Path path, BasicFileAttributes attrs) {}

  /** What a walk found: heartbeat-named entries and a count of everything else. */
  record Walk(List<Entry> entries, long ignored) {}

  static Walk walk(Path reportsDir, Path skipDir) throws IOException {
    List<Entry> entries = new ArrayList<>();
    long[] ignored = {0};
    if (!Files.isDirectory(reportsDir, LinkOption.NOFOLLOW_LINKS)) {
      return new Walk(entries, 0);
    }
    // walkFileTree without FOLLOW_LINKS reports links as links: loops and escapes are impossible.
    Files.walkFileTree(reportsDir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        boolean hidden = !dir.equals(reportsDir) && dir.getFileName().toString().startsWith(".");
        if (hidden || dir.equals(skipDir)) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        if (ReportParser.isHeartbeatName(dir.getFileName().toString())) {
          ignored[0]++;
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (ReportParser.isHeartbeatName(file.getFileName().toString())) {
          entries.add(new Entry(file, attrs));
        } else {
          ignored[0]++;
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        // Vanished or unreadable mid-walk: the next reconcile sees it again.
        ignored[0]++;
        return FileVisitResult.CONTINUE;
      }
    });
    return new Walk(entries, ignored[0]);
  }

  /** Attributes of {@code file} itself (a link is not followed), or null when it is gone. */
  static BasicFileAttributes stat(Path file) throws IOException {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Reads at most {@code limit + 1} bytes, so that an oversized file is noticed without reading it whole. */
  static byte[] readBounded(Path file, long limit) throws IOException {
    int cap = (int) Math.min(limit + 1, Integer.MAX_VALUE - 8);
    try (SeekableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      long size = ch.size();
      ByteBuffer buf = ByteBuffer.allocate((int) Math.min(cap, Math.max(size + 1, 1)));
      while (buf.hasRemaining() && ch.read(buf) > 0) {
        if (!buf.hasRemaining() && buf.capacity() < cap) {
          ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(cap, (long) buf.capacity() * 2));
          buf.flip();
          bigger.put(buf);
          buf = bigger;
        }
      }
      byte[] out = new byte[buf.position()];
      buf.flip();
      buf.get(out);
      return out;
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The start of a file as printable text, for the quarantine table. */
  static String excerpt(byte[] bytes) {
    int n = Math.min(bytes.length, EXCERPT_CHARS * 4);
    String text = new String(bytes, 0, n, StandardCharsets.UTF_8);
    if (text.length() > EXCERPT_CHARS) {
      text = text.substring(0, EXCERPT_CHARS);
    }
    return text.replaceAll("[\\p{Cntrl}&&[^\\n\\t]]", "\uFFFD");
  }
}
