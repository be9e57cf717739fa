package com.luka02.heartbeat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's folders are created readable by their owner only: rows carry what reports say. */
class OwnerOnlyFoldersTest {
  @TempDir Path root;

  @Test
  void openingANewStore_createsItsFolders0700() throws Exception {
    try (StagingStore store = StagingStore.open(root.resolve("g/analytics/staging.duckdb"), ZoneOffset.UTC)) {
      assertEquals("rwx------", mode(root.resolve("g")));
      assertEquals("rwx------", mode(root.resolve("g/analytics")));
    }
  }

  @Test
  void anExistingFolder_keepsTheModeItsOwnerGaveIt() throws Exception {
    Path shared = Files.createDirectories(root.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-x---"));
    try (StagingStore store = StagingStore.open(shared.resolve("db/staging.duckdb"), ZoneOffset.UTC)) {
      assertEquals("rwxr-x---", mode(shared));
      assertEquals("rwx------", mode(shared.resolve("db")));
    }
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
