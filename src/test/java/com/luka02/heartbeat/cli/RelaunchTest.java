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
    try (AgentProcess agent = AgentProcess.start(List.of("-Dheartbeat.test.kept=yes"), root, "--root", root.toString(), "run", "--port", "0")) {
      String up = agent.await("heartbeat-ingester agent: pid", START);
      long pid = agent.process().pid();
      assertTrue(up.contains("pid " + pid + ","), up);
      List<String> args = List.of(ProcessHandle.of(pid).orElseThrow().info().arguments().orElseThrow());
      assertTrue(args.containsAll(Relaunch.AGENT_JVM_OPTIONS), String.valueOf(args));
      assertTrue(args.contains("-Dheartbeat.test.kept=yes"), "the JVM options it was started with are kept: " + args);
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
  void theRelaunchedJvmLoadsJnaFromTheVerifiedCopyInsteadOfUnpackingIt() throws Exception {
    // A report to hash: the agent's start-up catch-up loads JNA for SHA-256.
    Path real = Path.of(getClass().getResource("/heartbeats-real").toURI());
    try (var files = Files.list(real)) {
      Path report = files.filter(f -> f.getFileName().toString().startsWith("heartbeat_")).findFirst().orElseThrow();
      Files.copy(report, root.resolve("g/reports").resolve(report.getFileName()));
    }
    try (AgentProcess agent = AgentProcess.start(List.of(), root, "--root", root.toString(), "run", "--port", "0")) {
      agent.await("heartbeat-ingester agent: pid", START);
      long pid = agent.process().pid();
      List<String> args = List.of(ProcessHandle.of(pid).orElseThrow().info().arguments().orElseThrow());
      String boot = args.stream().filter(a -> a.startsWith("-D" + Relaunch.JNA_BOOT_PATH + "=")).findFirst()
          .orElseThrow(() -> new AssertionError("no JNA boot path in " + args)).substring(Relaunch.JNA_BOOT_PATH.length() + 3);
      String name = System.mapLibraryName("jnidispatch").replace(".dylib", ".jnilib");
      byte[] bundled;
      try (var in = com.sun.jna.Native.class.getResourceAsStream("/com/sun/jna/" + com.sun.jna.Platform.RESOURCE_PREFIX + "/" + name)) {
        bundled = in.readAllBytes();
      }
      assertTrue(java.util.Arrays.equals(bundled, Files.readAllBytes(Path.of(boot, name))), "the copy is not the jar's library");
      Path maps = Path.of("/proc/" + pid + "/maps");
      if (Files.exists(maps)) { // Linux: the library JNA mapped is that copy, not one unpacked to a temp file
        String mapped = "";
        for (long end = System.nanoTime() + Duration.ofSeconds(20).toNanos(); System.nanoTime() < end; Thread.sleep(100)) {
          mapped = Files.readAllLines(maps).stream().filter(l -> l.contains("jnidispatch") || l.contains("/jna"))
              .map(l -> l.substring(l.lastIndexOf(' ') + 1)).distinct().collect(java.util.stream.Collectors.joining(" "));
          if (!mapped.isEmpty()) {
            break;
          }
        }
        assertEquals(Path.of(boot, name).toString(), mapped);
      }
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
