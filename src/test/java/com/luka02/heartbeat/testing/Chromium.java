package com.luka02.heartbeat.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Debian's Chromium, headless, on a profile of its own per run; CI installs it (.ci/run). */
public final class Chromium {
  private static final Path BINARY = Path.of("/usr/bin/chromium");
  private static final Duration WAIT = Duration.ofSeconds(90);

  private final Path home;

  private Chromium(Path home) {
    this.home = home;
  }

  /** A browser keeping its profiles in {@code home}; the test is skipped outside CI when there is none. */
  public static Chromium in(Path home) {
    if (!"true".equals(System.getenv("CI"))) {
      Assumptions.assumeTrue(Files.isExecutable(BINARY), "no " + BINARY + " (CI installs it)");
    }
    return new Chromium(home);
  }

  /** Loads {@code url}, lets its scripts run for five seconds of virtual time, and returns the DOM. */
  public String dumpDom(String name, String url, String... extraArgs) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--user-data-dir=" + home.resolve(name + "-profile"),
        "--window-size=1400,900", "--virtual-time-budget=5000"));
    cmd.addAll(List.of(extraArgs));
    cmd.addAll(List.of("--dump-dom", url));
    Path out = home.resolve(name + ".out");
    Path err = home.resolve(name + ".err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      fail("chromium did not finish within " + WAIT.toSeconds() + " s: " + Files.readString(err));
    }
    assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(err));
    return Files.readString(out);
  }
}
