package com.luka02.heartbeat.export;

import static com.luka02.heartbeat.export.Fixture.at;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code onExport} hook shipping day files with Debian's rclone to a WebDAV remote that rclone
 * itself serves on loopback: a real network remote, a real upload, real failures.
 */
class ExportHookTest {
  private static final LocalDate DAY = LocalDate.of(2026, 2, 10);
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private Path served;
  private Path rcloneConfig;
  private int port;
  private Process server;
  private final BlockingQueue<String> outcomes = new LinkedBlockingQueue<>();

  @BeforeEach
  void remote() throws IOException {
    Assumptions.assumeTrue(onPath("rclone"), "rclone is not installed (apt-get install rclone)");
    served = Files.createDirectories(dir.resolve("served"));
    try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    rcloneConfig = Files.writeString(dir.resolve("rclone.conf"),
        "[remote]\ntype = webdav\nurl = http://127.0.0.1:" + port + "/\nvendor = other\n");
  }

  @AfterEach
  void stopRemote() throws InterruptedException {
    if (server != null) {
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aVerifiedDay_isCopiedToTheRemoteUnderItsHostAndDay() throws Exception {
    startServer();
    try (Fixture f = hiveRoot(); ExportHook hook = hook(f, List.of(Duration.ofMillis(100)))) {
      f.heartbeats(DAY, "ok", "warn", "error");
      f.stage();
      List<DayResult> results = new Rollover(f.config, f.store, f.clock, hook).runDue();

      assertEquals("ok", outcomes.poll(WAIT.toSeconds(), TimeUnit.SECONDS), hook.problem());
      Path local = f.config.root().resolve(results.get(0).file());
      Path remote = served.resolve("lake/host=testhost/day=2026-02-10/ops_atomic_20260210_testhost.parquet");
      assertArrayEquals(Files.readAllBytes(local), Files.readAllBytes(remote));
      assertNull(hook.problem());
    }
  }

  @Test
  void aRemoteThatIsDown_isRetriedWithBackoff_untilItIsUp() throws Exception {
    try (Fixture f = hiveRoot(); ExportHook hook = hook(f, List.of(Duration.ofSeconds(2)))) {
      f.heartbeats(DAY, "ok");
      f.stage();
      new Rollover(f.config, f.store, f.clock, hook).runDue();

      assertEquals("failed", outcomes.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
      assertTrue(hook.problem().contains("retry 1 of 1"), hook.problem());
      startServer();
      assertEquals("ok", outcomes.poll(WAIT.toSeconds(), TimeUnit.SECONDS), hook.problem());
      assertTrue(Files.isRegularFile(served.resolve("lake/host=testhost/day=2026-02-10/ops_atomic_20260210_testhost.parquet")));
      assertNull(hook.problem(), "shipped at the retry: nothing left to show");
    }
  }

  @Test
  void aRemoteThatStaysDown_isGivenUp_andShown() throws Exception {
    try (Fixture f = hiveRoot(); ExportHook hook = hook(f, List.of(Duration.ofMillis(100), Duration.ofMillis(100)))) {
      f.heartbeats(DAY, "ok");
      f.stage();
      new Rollover(f.config, f.store, f.clock, hook).runDue();

      assertEquals(List.of("failed", "failed", "gave_up"), List.of(next(), next(), next()));
      assertTrue(hook.problem().contains("gave up after 3 attempts") && hook.problem().contains("exit code"),
          hook.problem());
    }
  }

  @Test
  void aHungCommand_isStoppedAtItsTimeout_andNeverHoldsUpTheRollover() throws Exception {
    try (Fixture f = Fixture.create(dir, at(DAY.plusDays(1), "09:00"),
        "\"onExport\": \"sleep 600\"", "\"onExportTimeoutSeconds\": 1");
         ExportHook hook = new ExportHook(f.config, List.of(), f.clock, (o, at) -> outcomes.add(o))) {
      f.heartbeats(DAY, "ok");
      f.stage();
      List<DayResult> results = new Rollover(f.config, f.store, f.clock, hook).runDue();

      assertTrue(results.get(0).ok());
      assertTrue(outcomes.isEmpty(), "the rollover returned while the command still ran");
      assertEquals("gave_up", next());
      assertTrue(hook.problem().contains("no exit within 1 s"), hook.problem());
    }
  }

  private Fixture hiveRoot() throws IOException {
    String command = "rclone --config '" + rcloneConfig + "' --retries 1 --low-level-retries 1 copyto {file} remote:lake/{path}";
    return Fixture.create(dir, at(DAY.plusDays(1), "09:00"), "\"parquetLayout\": \"hive\"",
        "\"onExport\": \"" + command.replace("\\", "\\\\").replace("\"", "\\\"") + "\"",
        "\"onExportTimeoutSeconds\": 60");
  }

  private ExportHook hook(Fixture f, List<Duration> backoff) {
    return new ExportHook(f.config, backoff, f.clock, (outcome, at) -> outcomes.add(outcome));
  }

  private String next() throws InterruptedException {
    return outcomes.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Starts {@code rclone serve webdav} on the chosen port and waits until it says it serves. */
  private void startServer() throws Exception {
    server = new ProcessBuilder("rclone", "serve", "webdav", served.toString(), "--addr", "127.0.0.1:" + port,
        "--config", rcloneConfig.toString(), "-v").redirectErrorStream(true).start();
    CompletableFuture<Void> up = new CompletableFuture<>();
    Thread drain = new Thread(() -> {
      // Read the log to its end, so that rclone never blocks on a full pipe.
      try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          if (line.contains("Server started on")) {
            up.complete(null);
          }
        }
      } catch (IOException e) {
        up.completeExceptionally(e);
      }
      up.completeExceptionally(new IllegalStateException("rclone serve webdav exited before serving"));
    }, "rclone-serve-log");
    drain.setDaemon(true);
    drain.start();
    up.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static boolean onPath(String program) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, program))) {
        return true;
      }
    }
    return false;
  }
}
