package com.luka02.heartbeat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.luka02.heartbeat.testing.AgentProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plain {@code run} gives itself the service's JVM settings, in the same process. */
class RelaunchTest {
  private static final Duration START = Duration.ofSeconds(60);

  @TempDir Path root;

  @BeforeEach
  void reportsFolder() throws Exception {
    Files.createDirectories(root.resolve("g/reports")); // run refuses a root without one
  }

  @Test
  void subcommandIsTheFirstWordThatIsNeitherAnOptionNorItsValue() {
    assertEquals("run", Relaunch.subcommand(new String[] {"--root", "run", "run", "--port", "0"}));
    assertEquals("query", Relaunch.subcommand(new String[] {"--config", "c.json", "query", "run"}));
    assertNull(Relaunch.subcommand(new String[] {"--help"}));
  }

  @Test
  void plainRunRestartsItselfWithTheServiceSettingsUnderTheSamePid() throws Exception {
    try (AgentProcess agent = AgentProcess.start(List.of(), root, "--root", root.toString(), "run", "--port", "0")) {
      String up = agent.await("heartbeat-ingester agent: pid", START);
      long pid = agent.process().pid();
      assertTrue(up.contains("pid " + pid + ","), up);
      List<String> args = List.of(ProcessHandle.of(pid).orElseThrow().info().arguments().orElseThrow());
      assertTrue(args.containsAll(Relaunch.AGENT_JVM_OPTIONS), String.valueOf(args));
      assertTrue(args.contains("-D" + Relaunch.MARKER + "=true"), String.valueOf(args));
      Path environ = Path.of("/proc/" + pid + "/environ");
      if (Files.exists(environ)) { // Linux: the relaunched JVM runs with glibc's arenas capped
        List<String> env = List.of(Files.readString(environ).split("\0"));
        assertTrue(env.contains("MALLOC_ARENA_MAX=2"), String.valueOf(env));
        assertTrue(env.contains("HOME=" + System.getenv("HOME")), "the rest of the environment is kept: " + env);
      }

      agent.process().destroy(); // SIGTERM reaches the relaunched JVM: it stops cleanly
      assertTrue(agent.process().waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, agent.process().exitValue(), agent.transcript());
    }
  }

  @Test
  void theRelaunchAddsTheArenaCapOnLinuxOnlyAndKeepsAUsersOwnSetting() {
    assertEquals(List.of("MALLOC_ARENA_MAX=2", "PATH=/bin"), List.of(Relaunch.environment(Map.of("PATH", "/bin"), true)));
    assertEquals(List.of("PATH=/bin"), List.of(Relaunch.environment(Map.of("PATH", "/bin"), false)));
    assertEquals(List.of("MALLOC_ARENA_MAX=8"), List.of(Relaunch.environment(Map.of("MALLOC_ARENA_MAX", "8"), true)));
  }

  @Test
  void runWithAHeapSettingIsLeftAsStarted() throws Exception {
    try (AgentProcess agent = AgentProcess.start(List.of("-Xmx300m"), root, "--root", root.toString(), "run", "--port", "0")) {
      agent.await("heartbeat-ingester agent: pid", START);
      List<String> args = List.of(ProcessHandle.of(agent.process().pid()).orElseThrow().info().arguments().orElseThrow());
      assertTrue(args.contains("-Xmx300m") && !args.contains("-Xmx192m"), String.valueOf(args));
    }
  }
}
