package com.luka02.heartbeat.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Temp-name-then-rename writes: a crash leaves the old file or the new one, never a part. */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes a file's content to a stream. */
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /** A hidden name in the same folder, so that a rename is atomic and globs like *.parquet skip it. */
  public static Path tempFor(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
  }

  public static boolean isTemp(Path p) {
    String n = p.getFileName().toString();
    return n.startsWith(".") && n.contains(".tmp-");
  }

  /**
   * A temporary file another process left behind (a crash): never one this process is writing, such
   * as {@code agent.json}'s while the start-up rollover cleans the same folder.
   */
  public static boolean isLeftBehind(Path p) {
    return isTemp(p) && !p.getFileName().toString().endsWith(".tmp-" + ProcessHandle.current().pid());
  }

  public static void writeString(Path target, String content) throws IOException {
    write(target, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
  }

  /** Writes {@code content} to a temporary file beside {@code target}, forces it to disk and renames it over. */
  public static void write(Path target, Content content) throws IOException {
    Path tmp = tempFor(target);
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        content.writeTo(out);
      }
      commit(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Forces {@code tmp} to disk and renames it over {@code target}. */
  public static void commit(Path tmp, Path target) throws IOException {
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
}
