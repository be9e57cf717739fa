package com.luka02.heartbeat.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A report's hash is the JDK's SHA-256, whichever library computes it. */
class Sha256Test {
  @Test
  void theSystemLibraryIsUsedWhereThereIsOne() {
    // On Linux, OpenSSL's libcrypto when it can be loaded (Debian has it); on macOS, CommonCrypto.
    String expected = Platform.isMac() ? "CommonCrypto" : Platform.isLinux() && loads("crypto") ? "libcrypto" : "jdk";

    assertEquals(expected, Sha256.implementation());
  }

  @Test
  void everyLengthHashesAsTheJdkHashes() {
    Random random = new Random(20261128L);
    for (int length : new int[] {0, 1, 3, 55, 56, 63, 64, 65, 119, 120, 550, 4096, 70_000, 1 << 20}) {
      for (int n = 0; n < 5; n++) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        assertEquals(HexFormat.of().formatHex(Sha256.jdk(bytes)), Sha256.of(bytes), "length " + length);
      }
    }
    // FIPS 180-2's example.
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        Sha256.of("abc".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void aFileHashesAsItsBytes(@TempDir Path dir) throws IOException {
    byte[] bytes = new byte[300_000];
    new Random(7).nextBytes(bytes);
    Path file = Files.write(dir.resolve("day.parquet"), bytes);

    assertEquals(Sha256.of(bytes), Sha256.of(file));
  }

  private static boolean loads(String library) {
    try {
      NativeLibrary.getInstance(library);
      return true;
    } catch (UnsatisfiedLinkError e) {
      return false;
    }
  }
}
