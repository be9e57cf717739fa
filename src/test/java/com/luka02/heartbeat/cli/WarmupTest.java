package com.luka02.heartbeat.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The warm-up runs for the commands that open the store, and only for them. */
class WarmupTest {
  @Test
  void storeCommandsGetAHeadStart() throws InterruptedException {
    for (String[] args : new String[][] {{"catchup"}, {"--root", "r", "rollover", "--date", "2026-11-26"}, {"recover"},
        {"run", "--port", "0"}}) {
      Thread t = Warmup.begin(args);
      assertNotNull(t, String.join(" ", args));
      assertTrue(t.isDaemon(), "a warm-up never keeps a finished command alive");
      t.join(60_000);
      assertFalse(t.isAlive());
    }
  }

  @Test
  void everyClassTheWarmUpNamesExists() throws ClassNotFoundException {
    for (String name : Warmup.DRIVER_CLASSES) {
      Class.forName(name, false, WarmupTest.class.getClassLoader());
    }
  }

  @Test
  void commandsThatTalkToTheAgentOrReadNoStoreLoadNothing() {
    for (String[] args : new String[][] {{"query", "SELECT 1"}, {"status"}, {"init"}, {"check-config"}, {"--help"}, {},
        {"--root", "catchup", "status"}}) {
      assertNull(Warmup.begin(args), String.join(" ", args));
    }
  }
}
