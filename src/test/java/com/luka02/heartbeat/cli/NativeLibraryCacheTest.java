package com.luka02.heartbeat.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Random;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cached copy of a jar entry: unpacked once, reused while it matches, replaced when it does not. */
class NativeLibraryCacheTest {
  private static final String ENTRY = "libduckdb_java.so_test";

  @TempDir Path dir;
  private byte[] library;
  private URL resource;
  private Path cacheDir;
  private final ByteArrayOutputStream warnings = new ByteArrayOutputStream();
  private NativeLibraryCache cache;

  @BeforeEach
  void setUp() throws Exception {
    library = new byte[3 * 1024 * 1024 + 17];
    new Random(42).nextBytes(library);
    Path jar = dir.resolve("app.jar");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out)) {
      zip.putNextEntry(new JarEntry(ENTRY));
      zip.write(library);
      zip.closeEntry();
    }
    resource = new URL("jar:" + jar.toUri() + "!/" + ENTRY);
    cacheDir = dir.resolve("cache");
    cache = new NativeLibraryCache(cacheDir, new PrintStream(warnings, true, StandardCharsets.UTF_8));
  }

  @Test
  void aVersionsFolderIsNamedByItsChecksumInEightHexDigitsAndItsSize() throws Exception {
    // Contents whose checksums have leading zero digits too: the folder names of copies unpacked before
    // must not change, or every user's cache would be unpacked again.
    Random random = new Random(7);
    int padded = 0;
    for (int i = 0; i < 200 && padded < 3; i++) {
      byte[] content = new byte[100 + random.nextInt(100)];
      random.nextBytes(content);
      java.util.zip.CRC32 crc = new java.util.zip.CRC32();
      crc.update(content);
      if (i >= 3 && crc.getValue() >= 0x10000000L) {
        continue; // beyond the first three, only checksums that need padding
      }
      padded += crc.getValue() < 0x10000000L ? 1 : 0;
      Path jar = dir.resolve("v" + i + ".jar");
      try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out)) {
        zip.putNextEntry(new JarEntry(ENTRY));
        zip.write(content);
        zip.closeEntry();
      }
      Path copy = cache.copyOf(new URL("jar:" + jar.toUri() + "!/" + ENTRY));
      assertEquals(String.format("%08x-%d", crc.getValue(), content.length), copy.getParent().getFileName().toString());
    }
    assertEquals(3, padded, "checksums with a leading zero were tried");
  }

  @Test
  void theFirstUseUnpacksAndLaterUsesReuseTheSameFile() throws Exception {
    Path first = cache.copyOf(resource);
    assertArrayEquals(library, Files.readAllBytes(first));
    Object inode = Files.readAttributes(first, "unix:ino").get("ino");
    Files.setLastModifiedTime(first, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));

    Path second = cache.copyOf(resource);
    assertEquals(first, second);
    assertEquals(inode, Files.readAttributes(second, "unix:ino").get("ino"), "unpacked again");
    assertEquals(FileTime.from(Instant.parse("2026-01-01T00:00:00Z")), Files.getLastModifiedTime(second), "rewritten");
    assertEquals("", warnings.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aDamagedCopyOfTheSameSizeIsDetectedAndReplaced() throws Exception {
    Path copy = cache.copyOf(resource);
    byte[] damaged = library.clone();
    damaged[damaged.length / 2] ^= 0x01;
    Files.write(copy, damaged);

    Path again = cache.copyOf(resource);
    assertArrayEquals(library, Files.readAllBytes(again));
    assertTrue(warnings.toString(StandardCharsets.UTF_8).contains("does not match the one in the jar"), warnings.toString());
  }

  @Test
  void aTruncatedCopyIsDetectedAndReplaced() throws Exception {
    Path copy = cache.copyOf(resource);
    Files.write(copy, java.util.Arrays.copyOf(library, library.length / 3));

    assertArrayEquals(library, Files.readAllBytes(cache.copyOf(resource)));
  }

  @Test
  void theCheckAheadUsesOnlyAMatchingCopyAndNeverUnpacks() throws Exception {
    assertNull(cache.existingCopy(resource), "no copy yet");
    assertFalse(Files.exists(cacheDir), "the check ahead unpacked the library");

    Path copy = cache.copyOf(resource);
    assertEquals(copy, cache.existingCopy(resource));

    byte[] damaged = library.clone();
    damaged[7] ^= 0x01;
    Files.write(copy, damaged);
    assertNull(cache.existingCopy(resource), "a damaged copy passed the check");
    Files.write(copy, java.util.Arrays.copyOf(library, library.length - 1));
    assertNull(cache.existingCopy(resource), "a truncated copy passed the check");
    assertArrayEquals(java.util.Arrays.copyOf(library, library.length - 1), Files.readAllBytes(copy),
        "the check ahead replaced the copy: that is left to the driver's asking");
  }

  @Test
  void copiesOfOtherVersionsAreRemovedButNotAFreshOne() throws Exception {
    Path old = Files.createDirectories(cacheDir.resolve("00000001-10"));
    Files.write(old.resolve(NativeLibraryCache.FILE), new byte[10]);
    Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(3600)));
    Path fresh = Files.createDirectories(cacheDir.resolve("00000002-10"));

    Path copy = cache.copyOf(resource);
    assertFalse(Files.exists(old), "a stale version stayed");
    assertTrue(Files.exists(fresh), "a version another process may be unpacking right now was removed");
    try (Stream<Path> files = Files.list(copy.getParent())) {
      assertEquals(1, files.count(), "a partial file was left behind");
    }
  }

  @Test
  void theExpectedChecksumComesFromTheJarsOwnRecord() throws Exception {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(library);
    assertEquals(new NativeLibraryCache.Expected(crc.getValue(), library.length), NativeLibraryCache.expected(resource));
  }
}
