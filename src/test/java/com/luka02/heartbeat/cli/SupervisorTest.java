package com.luka02.heartbeat.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Under launchd the agent neither restarts in vain nor logs into a file launchd never rotates. */
class SupervisorTest {
  @TempDir Path root;

  @Test
  void underLaunchd_aConfigurationError_exits0_afterSayingWhy() throws Exception {
    Result r = run("launchd");

    assertEquals(0, r.exit(), r.stderr());
    assertTrue(r.stderr().contains("error: no reports folder at " + root.resolve("g/reports")), r.stderr());
    assertTrue(r.stderr().contains("exiting 0 instead of 3 so that launchd does not restart it"), r.stderr());
  }

  @Test
  void elsewhere_theSameErrorExits3() throws Exception {
    Result r = run(null);

    assertEquals(3, r.exit(), r.stderr());
    assertFalse(r.stderr().contains("exiting 0"), r.stderr());
  }

  @Test
  void aFailureARestartMayFix_keepsItsCodeUnderLaunchd() {
    PrintStream none = new PrintStream(new ByteArrayOutputStream(), true, UTF_8);
    assertEquals(Main.FAILED, Supervisor.exitCode(Main.FAILED, "launchd", none));
    assertEquals(0, Supervisor.exitCode(Main.BUSY, "launchd", none));
    assertEquals(Main.BUSY, Supervisor.exitCode(Main.BUSY, "systemd", none));
  }

  @Test
  void aDamagedStore_isNotRestartedByLaunchd() {
    PrintStream none = new PrintStream(new ByteArrayOutputStream(), true, UTF_8);
    assertEquals(0, Supervisor.exitCode(Main.DAMAGED, "launchd", none));
    assertEquals(Main.DAMAGED, Supervisor.exitCode(Main.DAMAGED, "systemd", none));
  }

  @Test
  void withoutConsoleLogging_theLogGoesToTheFileOnly() throws Exception {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(stdout, true, UTF_8));
    try {
      LoggerContext ctx = new LoggerContext(); // its own context: the tests' logging stays as it is
      ctx.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
      Logging.configure(ctx, root, false);
      ctx.getLogger("com.luka02.heartbeat.Probe").info("to the file only");
      ctx.stop();
    } finally {
      System.setOut(original);
    }
    assertEquals("", stdout.toString(UTF_8));
    assertTrue(Files.readString(root.resolve("heartbeat-ingester.log")).contains("to the file only"));
  }

  private record Result(int exit, String stderr) {}

  /** {@code run} in a JVM of its own, as the service manager starts it, with HEARTBEAT_SUPERVISOR set or not. */
  private Result run(String supervisor) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "--root", root.toString(), "run", "--port", "0"));
    pb.environment().remove(Supervisor.ENV);
    if (supervisor != null) {
      pb.environment().put(Supervisor.ENV, supervisor);
    }
    Path err = root.resolve("stderr.txt");
    Process p = pb.redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the agent did not exit");
    return new Result(p.exitValue(), Files.readString(err));
  }
}
