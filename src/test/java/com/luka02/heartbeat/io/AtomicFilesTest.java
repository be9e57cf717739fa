package com.luka02.heartbeat.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real files: a write replaces the whole file or nothing, and leaves no temporary file behind. */
class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void write_replacesTheFile_andLeavesNoTemporaryFile() throws Exception {
    Path target = dir.resolve("agent.json");
    Files.writeString(target, "old");
    AtomicFiles.write(target, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
    assertEquals("new", Files.readString(target));
    assertEquals(List.of(target), files());
  }

  @Test
  void aWriteThatFailsHalfway_leavesTheOldFileWhole() throws Exception {
    Path target = dir.resolve("results.json");
    Files.writeString(target, "old and whole");
    IOException thrown = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
      out.write("half of the new".getBytes(StandardCharsets.UTF_8));
      throw new IOException("simulated: the disk filled up");
    }));
    assertEquals("simulated: the disk filled up", thrown.getMessage());
    assertEquals("old and whole", Files.readString(target));
    assertEquals(List.of(target), files(), "the temporary file was removed");
  }

  @Test
  void sha256_ofAFile_isTheSameAsOfItsBytes() throws Exception {
    Path file = Files.writeString(dir.resolve("abc.txt"), "abc");
    // The FIPS 180-2 test vector for "abc".
    String expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    assertEquals(expected, Sha256.of("abc".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(expected, Sha256.of(file));
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }
}
