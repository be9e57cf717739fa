package com.luka02.heartbeat.ingest;

import com.luka02.heartbeat.io.Sha256;
import com.luka02.heartbeat.report.ReportParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.LongStream;

/** File-system access for reports: the walk, bounded reads and hashing. Never follows links. */
final class ReportFiles {
  static final int EXCERPT_CHARS = 2048;
  /** How a report is opened: to read, never through a link. */
  private static final Set<OpenOption> READ_NOFOLLOW = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

  private ReportFiles() {}

  /**
   * A heartbeat-named entry with the four attributes a catch-up uses, read when it was found, or not yet
   * ({@code looked} false, {@link #unlooked}): a year's walk holds 105,000 of these for the whole
   * catch-up, and the JDK's attribute object holds some fifteen.
   */
  record Entry(Path path, long size, long mtimeMs, boolean regularFile, boolean symbolicLink, boolean looked) {
    static Entry of(Path path, BasicFileAttributes attrs) {
      return new Entry(path, attrs.size(), attrs.lastModifiedTime().toMillis(), attrs.isRegularFile(),
          attrs.isSymbolicLink(), true);
    }

    /** A listed entry not looked at yet: its attributes are read where it is read. */
    static Entry unlooked(Path path) {
      return new Entry(path, 0, 0, false, false, false);
    }
  }

  /**
   * What a walk's listing found: the heartbeat-named paths with the time each one's name carries
   * ({@link Catchup#nameTime}, in the same order), the folders listed, a count of everything else. The
   * times are numbers, not the names: a first catch-up orders its files by them, and a year's names,
   * held to the end of it, were 8 MB that every collection copied.
   */
  record Listing(List<Path> named, long[] nameTimes, List<Folder> folders, long ignored) {}

  /** What a walk found: heartbeat-named entries, the folders it listed, and a count of everything else. */
  record Walk(List<Entry> entries, List<Folder> folders, long ignored) {}

  /**
   * A folder as listed: its mtime read just before the listing (so that a later entry changes it),
   * its identity, and the subfolders the listing found.
   */
  record Folder(Path path, FileTime mtime, Object fileKey, List<Path> subfolders) {}

  /**
   * Finds every heartbeat-named entry under {@code reportsDir}, with its attributes. Other names
   * are only looked at to find folders; heartbeat-named entries are examined in parallel, which
   * halves the cost of a year's tree. Links are reported as links, never followed: loops and
   * escapes are impossible.
   */
  static Walk walk(Path reportsDir, Path skipDir) throws IOException {
    return walk(listTree(reportsDir, skipDir));
  }

  /** The first half of {@link #walk(Path, Path)}: the listing, no heartbeat-named entry looked at yet. */
  static Listing listTree(Path reportsDir, Path skipDir) {
    if (!Files.isDirectory(reportsDir, LinkOption.NOFOLLOW_LINKS)) {
      return new Listing(List.of(), new long[0], List.of(), 0);
    }
    List<Path> named = new ArrayList<>();
    LongStream.Builder nameTimes = LongStream.builder();
    List<Folder> folders = new ArrayList<>();
    long[] ignored = {0};
    Deque<Path> dirs = new ArrayDeque<>(List.of(reportsDir));
    while (!dirs.isEmpty()) {
      Folder f = list(dirs.pop(), skipDir, (name, path) -> {
        named.add(path);
        nameTimes.add(Catchup.nameTime(name));
      }, ignored);
      if (f != null) {
        folders.add(f);
        f.subfolders().forEach(dirs::push);
      }
    }
    return new Listing(named, nameTimes.build().toArray(), folders, ignored[0]);
  }

  /** The second half of {@link #walk(Path, Path)}: every listed entry looked at, in parallel. */
  static Walk walk(Listing listing) {
    List<Entry> entries = listing.named().parallelStream().map(ReportFiles::entry).filter(Objects::nonNull).toList();
    return new Walk(entries, listing.folders(), listing.ignored());
  }

  /** {@code listing} as a walk whose entries are not looked at ({@link Entry#unlooked}). */
  static Walk unlooked(Listing listing) {
    List<Entry> entries = new ArrayList<>(listing.named().size());
    listing.named().forEach(p -> entries.add(Entry.unlooked(p)));
    return new Walk(entries, listing.folders(), listing.ignored());
  }

  /**
   * Lists one folder: each heartbeat-named entry goes to {@code named} with its file name, subfolders
   * (not hidden, not {@code skipDir}) to the result. Null when the folder vanished or cannot be read:
   * the next look sees it again.
   */
  static Folder list(Path dir, Path skipDir, BiConsumer<String, Path> named, long[] ignored) {
    List<Path> subfolders = new ArrayList<>();
    try {
      BasicFileAttributes attrs = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path p : entries) {
          String name = p.getFileName().toString();
          if (ReportParser.isHeartbeatName(name)) {
            named.accept(name, p);
          } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            if (!name.startsWith(".") && !p.equals(skipDir)) {
              subfolders.add(p);
            }
          } else {
            ignored[0]++;
          }
        }
      }
      return new Folder(dir, attrs.lastModifiedTime(), attrs.fileKey(), List.copyOf(subfolders));
    } catch (IOException e) {
      ignored[0]++;
      return null;
    }
  }

  private static Entry entry(Path p) {
    try {
      return Entry.of(p, Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
    } catch (IOException e) {
      return null; // deleted since it was listed
    }
  }

  /** Attributes of {@code file} itself (a link is not followed), or null when it is gone. */
  static BasicFileAttributes stat(Path file) throws IOException {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** {@code file} as an entry (a link is not followed), or null when it is gone. */
  static Entry look(Path file) throws IOException {
    BasicFileAttributes attrs = stat(file);
    return attrs == null ? null : Entry.of(file, attrs);
  }

  /**
   * Reads at most {@code limit + 1} bytes, so that an oversized file is noticed without reading it whole.
   * {@code expectedSize} is the size the walk measured: a file that grew or shrank since is still read
   * to its end, and asking the open file its size again cost a catch-up 105,000 calls for a year.
   */
  static byte[] readBounded(Path file, long expectedSize, long limit) throws IOException {
    int cap = (int) Math.min(limit + 1, Integer.MAX_VALUE - 8);
    try (FileChannel ch = FileChannel.open(file, READ_NOFOLLOW)) {
      // Most files are read whole into an array of their size, with no copy, and one byte more tells
      // whether the file grew since it was measured. Both are asked for in one scattering read: a
      // regular file reads short only at its end, so a read that brings less than asked found the end
      // (a second read, to be told so, was 105,000 more system calls for a year).
      byte[] exact = new byte[(int) Math.max(0, Math.min(cap, expectedSize))];
      ByteBuffer buf = ByteBuffer.wrap(exact);
      ByteBuffer more = ByteBuffer.allocate(exact.length == cap ? 0 : 1);
      ByteBuffer[] both = {buf, more};
      while (buf.hasRemaining() || more.hasRemaining()) {
        long asked = buf.remaining() + more.remaining();
        long got = ch.read(both);
        if (got < asked) {
          break; // the end (got is -1 when the file ended before this read)
        }
      }
      if (buf.hasRemaining()) {
        return Arrays.copyOf(exact, buf.position()); // it shrank
      }
      if (more.position() == 0) {
        return exact; // as measured, or at the cap
      }
      // It grew: read on, doubling, up to the cap.
      buf = ByteBuffer.allocate((int) Math.min(cap, Math.max(2L * exact.length, exact.length + 2L)));
      buf.put(exact).put(more.flip());
      while (buf.hasRemaining() && ch.read(buf) > 0) {
        if (!buf.hasRemaining() && buf.capacity() < cap) {
          ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(cap, (long) buf.capacity() * 2));
          buf.flip();
          bigger.put(buf);
          buf = bigger;
        }
      }
      return Arrays.copyOf(buf.array(), buf.position());
    }
  }

  static String sha256(byte[] bytes) {
    return Sha256.of(bytes);
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
