package com.luka02.heartbeat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plain {@code catchup} gets a batch job's JVM settings; commands that only talk to the agent run as started. */
class CatchupRelaunchTest {
  @Test
  void catchupGetsItsOwnSettingsAndRunKeepsTheAgents() {
    assertEquals(Relaunch.CATCHUP_JVM_OPTIONS, Relaunch.optionsFor(new String[] {"--root", "catchup", "catchup", "--reparse"}));
    assertEquals(Relaunch.AGENT_JVM_OPTIONS, Relaunch.optionsFor(new String[] {"run", "--port", "0"}));
    assertNull(Relaunch.optionsFor(new String[] {"--config", "c.json", "query", "SELECT 1"}));
    assertNull(Relaunch.optionsFor(new String[] {"status"}));
  }

  @Test
  void aCatchupOfWhatChangedRunsAsStarted_theFirstOrAReparseGetsTheBatchSettings(@TempDir Path root) throws IOException {
    String[] plain = {"--root", root.toString(), "catchup"};
    assertEquals(Relaunch.CATCHUP_JVM_OPTIONS, Relaunch.optionsFor(plain), "no store yet: the first catch-up");

    Files.createDirectories(root.resolve("g/state"));
    Files.writeString(root.resolve("g/state/staging.duckdb"), "");

    assertNull(Relaunch.optionsFor(plain), "a store: only what changed is read");
    assertNull(Relaunch.optionsFor(new String[] {"--root=" + root, "catchup"}));
    assertEquals(Relaunch.CATCHUP_JVM_OPTIONS, Relaunch.optionsFor(new String[] {"--root", root.toString(), "catchup", "--reparse"}));
  }

  @Test
  void catchupSettingsCapTheHeapWithTheSerialCollector() {
    assertTrue(Relaunch.CATCHUP_JVM_OPTIONS.stream().anyMatch(o -> o.startsWith("-Xmx")));
    assertTrue(Relaunch.CATCHUP_JVM_OPTIONS.contains("-XX:+UseSerialGC"));
  }
}
