package com.luka02.heartbeat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain {@code catchup} that reads everything gets a batch job's JVM settings, the other commands
 * that open the store a short command's; commands that only talk to the agent run as started.
 */
class CatchupRelaunchTest {
  @Test
  void catchupGetsItsOwnSettingsAndRunKeepsTheAgents() {
    assertEquals(Relaunch.CATCHUP_JVM_OPTIONS, Relaunch.optionsFor(new String[] {"--root", "catchup", "catchup", "--reparse"}));
    assertEquals(Relaunch.AGENT_JVM_OPTIONS, Relaunch.optionsFor(new String[] {"run", "--port", "0"}));
    assertNull(Relaunch.optionsFor(new String[] {"--config", "c.json", "query", "SELECT 1"}));
    assertNull(Relaunch.optionsFor(new String[] {"status"}));
    assertNull(Relaunch.optionsFor(new String[] {"--help"}), "no command");
    assertNull(Relaunch.optionsFor(new String[0]), "no arguments");
    assertEquals(Relaunch.COMMAND_JVM_OPTIONS, Relaunch.optionsFor(new String[] {"rollover", "--date", "2026-11-26"}));
    assertEquals(Relaunch.COMMAND_JVM_OPTIONS, Relaunch.optionsFor(new String[] {"--root", "r", "recover"}));
  }

  @Test
  void aCatchupOfWhatChangedGetsTheCommandSettings_theFirstOrAReparseTheBatchSettings(@TempDir Path root) throws IOException {
    String[] plain = {"--root", root.toString(), "catchup"};
    assertEquals(Relaunch.CATCHUP_JVM_OPTIONS, Relaunch.optionsFor(plain), "no store yet: the first catch-up");

    Files.createDirectories(root.resolve("g/state"));
    Files.writeString(root.resolve("g/state/staging.duckdb"), "");

    assertEquals(Relaunch.COMMAND_JVM_OPTIONS, Relaunch.optionsFor(plain), "a store: only what changed is read");
    assertEquals(Relaunch.COMMAND_JVM_OPTIONS, Relaunch.optionsFor(new String[] {"--root=" + root, "catchup"}));
    assertEquals(Relaunch.CATCHUP_JVM_OPTIONS, Relaunch.optionsFor(new String[] {"--root", root.toString(), "catchup", "--reparse"}));
  }

  @Test
  void theJvmOptionsAreWhatTheCommandLineSetsBeforeTheJarOrTheMainClassLessTheClassPath() {
    String[] args = {"--root", "r", "catchup"};
    String main = Main.class.getName();

    assertEquals(List.of("-Xss2m", "-Dx=-jar"), Relaunch.jvmOptions(List.of("-Xss2m", "-Dx=-jar", "-jar", "h.jar", "--root", "r", "catchup"), args));
    assertEquals(List.of(), Relaunch.jvmOptions(List.of("-jar", "h.jar", "--root", "r", "catchup"), args));
    assertEquals(List.of("-Da=1", "-Db=2"), Relaunch.jvmOptions(List.of("-cp", "h.jar", "-Da=1", "--class-path=x", "-classpath", "y", "-Db=2", main, "--root", "r", "catchup"), args));
    assertEquals(List.of("-Xmx1g"), Relaunch.jvmOptions(List.of("-Xmx1g", "-jar", "h.jar"), new String[0]));
    assertEquals(List.of(), Relaunch.jvmOptions(List.of("-cp", "h.jar", main, "-jar", "x"), new String[] {"-jar", "x"}));
  }

  @Test
  void aCommandLineOfAnotherFormLeavesTheJvmOptionsToTheManagementApi() {
    String[] args = {"catchup"};

    assertNull(Relaunch.jvmOptions(List.of("@opts", "-jar", "h.jar", "catchup"), args), "an argument file");
    assertNull(Relaunch.jvmOptions(List.of("-cp", "h.jar", "other.Main", "catchup"), args), "another main class");
    assertNull(Relaunch.jvmOptions(List.of("-jar", "h.jar", "catchup", "--reparse"), args), "arguments that do not end it");
    assertNull(Relaunch.jvmOptions(List.of("catchup"), args), "nothing before the arguments");
    assertNull(Relaunch.jvmOptions(List.of(), args));
  }

  @Test
  void catchupSettingsCapTheHeapWithTheSerialCollector() {
    assertTrue(Relaunch.CATCHUP_JVM_OPTIONS.stream().anyMatch(o -> o.startsWith("-Xmx")));
    assertTrue(Relaunch.CATCHUP_JVM_OPTIONS.contains("-XX:+UseSerialGC"));
  }

  @Test
  void everyRelaunchedJvmUsesTheClientCompilerAlone() {
    for (var options : java.util.List.of(Relaunch.AGENT_JVM_OPTIONS, Relaunch.CATCHUP_JVM_OPTIONS, Relaunch.COMMAND_JVM_OPTIONS)) {
      assertTrue(options.contains("-XX:TieredStopAtLevel=1"), options.toString());
    }
  }
}
