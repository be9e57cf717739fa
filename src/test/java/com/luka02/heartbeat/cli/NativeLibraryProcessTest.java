package com.luka02.heartbeat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real driver, started in real processes as a user starts the CLI (a {@code catchup} of an empty tree): DuckDB's native library is
 * loaded from the cached copy (never unpacked into the temp folder), reused by the next process, and
 * unpacked again when the copy was damaged.
 */
class NativeLibraryProcessTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private Run catchup(Path cache, Path tmp) throws Exception {
    Path root = Files.createDirectories(dir.resolve("root/g/reports"));
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
        "-D" + NativeLibraryLoader.CACHE_PROPERTY + "=" + cache, "-Dheartbeat.keepTmpdir=true", "-Djava.io.tmpdir=" + tmp,
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "--root", root.getParent().getParent().toString(), "catchup"));
    Process p = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out.txt").toFile())
        .redirectError(dir.resolve("err.txt").toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the CLI did not finish");
    return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")));
  }

  private static List<Path> libraries(Path folder) throws IOException {
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(f -> f.getFileName().toString().startsWith("libduckdb_java")).toList();
    }
  }

  @Test
  void theDriverLoadsTheCachedCopyWhichTheNextProcessReusesAndADamagedOneIsReplaced() throws Exception {
    Path cache = dir.resolve("cache");
    Path tmp = Files.createDirectories(dir.resolve("tmp"));

    Run first = catchup(cache, tmp);
    assertEquals(0, first.code(), first.err());
    assertTrue(first.out().contains("scanned 0"), first.out());
    List<Path> copies = libraries(cache);
    assertEquals(1, copies.size(), copies.toString());
    assertEquals(List.of(), libraries(tmp), "the driver unpacked its own copy into the temp folder");

    Path copy = copies.get(0);
    Object inode = Files.readAttributes(copy, "unix:ino").get("ino");
    Run second = catchup(cache, tmp);
    assertEquals(0, second.code(), second.err());
    assertEquals(inode, Files.readAttributes(copy, "unix:ino").get("ino"), "the second process unpacked it again");

    byte[] bytes = Files.readAllBytes(copy);
    bytes[bytes.length / 2] ^= 0x7f;
    Files.write(copy, bytes);
    Run third = catchup(cache, tmp);
    assertEquals(0, third.code(), third.err());
    assertTrue(third.err().contains("does not match the one in the jar"), third.err());
    assertTrue(third.out().contains("scanned 0"), third.out());
    assertEquals(List.of(), libraries(tmp));
    java.net.URL bundled = getClass().getClassLoader().getResource("libduckdb_java.so_" + NativeLibraryLoader.platform());
    assertTrue(NativeLibraryCache.matches(copy, NativeLibraryCache.expected(bundled)), "the damaged copy stayed");
  }
}
