package com.luka02.heartbeat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

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
  void catchupSettingsCapTheHeapWithTheSerialCollector() {
    assertTrue(Relaunch.CATCHUP_JVM_OPTIONS.stream().anyMatch(o -> o.startsWith("-Xmx")));
    assertTrue(Relaunch.CATCHUP_JVM_OPTIONS.contains("-XX:+UseSerialGC"));
  }
}
