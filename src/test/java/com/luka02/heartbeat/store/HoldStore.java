package com.luka02.heartbeat.store;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;

/** The "other process" of StagingStoreTest: opens a staging database and holds it until stdin closes. */
final class HoldStore {
  static final String READY = "holding";

  private HoldStore() {}

  public static void main(String[] args) throws IOException {
    try (StagingStore store = StagingStore.open(Path.of(args[0]), ZoneId.of("UTC"))) {
      System.out.println(READY);
      System.out.flush();
      // Blocks until the parent closes our stdin (or kills us).
      while (System.in.read() >= 0) {
        continue;
      }
    }
  }
}
