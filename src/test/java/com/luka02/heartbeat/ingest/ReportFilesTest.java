package com.luka02.heartbeat.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bounded reads of real files: whole, empty, over the limit, and longer than their size said. */
class ReportFilesTest {
  @TempDir Path dir;

  @Test
  void aFileIsReadWholeAndAFileOverTheLimitOnlyToOneByteBeyondIt() throws IOException {
    byte[] bytes = new byte[5000];
    Arrays.fill(bytes, (byte) 'x');
    Path file = Files.write(dir.resolve("heartbeat_a.md"), bytes);
    Path empty = Files.write(dir.resolve("heartbeat_b.md"), new byte[0]);

    assertArrayEquals(bytes, ReportFiles.readBounded(file, 5000, 5000));
    assertArrayEquals(bytes, ReportFiles.readBounded(file, 5000, 1 << 20));
    assertEquals(4001, ReportFiles.readBounded(file, 5000, 4000).length);
    assertEquals(5000, ReportFiles.readBounded(file, 5000, 4999).length);
    assertEquals(0, ReportFiles.readBounded(empty, 0, 100).length);
  }

  @Test
  void aFileThatGrewOrShrankSinceTheWalkMeasuredItIsReadToItsEnd() throws IOException {
    byte[] bytes = new byte[5000];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) ('a' + i % 26);
    }
    Path file = Files.write(dir.resolve("heartbeat_a.md"), bytes);

    for (long measured : new long[] {0, 1, 550, 4999, 5001, 9000, 1 << 20}) {
      assertArrayEquals(bytes, ReportFiles.readBounded(file, measured, 1 << 20), "measured " + measured);
      assertEquals(4001, ReportFiles.readBounded(file, measured, 4000).length, "measured " + measured);
    }
  }

  @Test
  void aFileLongerThanItsSizeSaidIsReadToItsEndOrOneByteBeyondTheLimit() throws IOException {
    // A file still being written holds more than its size said when it was opened; Linux's /proc
    // files say 0 and hold text, which takes the same path.
    Path proc = Path.of("/proc/self/status");
    assumeTrue(Files.isReadable(proc) && Files.size(proc) == 0);
    String text = new String(ReportFiles.readBounded(proc, 0, 1 << 20), StandardCharsets.UTF_8);

    assertTrue(text.startsWith("Name:") && text.contains("\nPid:") && text.endsWith("\n"), text);
    assertEquals(11, ReportFiles.readBounded(proc, 0, 10).length);
  }
}
