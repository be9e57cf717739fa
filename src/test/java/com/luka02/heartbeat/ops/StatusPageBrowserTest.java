package com.luka02.heartbeat.ops;

import com.luka02.heartbeat.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.luka02.heartbeat.agent.Agent;
import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.ingest.CatchupOptions;
import com.luka02.heartbeat.testing.TestReports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real headless Chromium, served by a real agent over loopback. Leaves a
 * screenshot in {@code target/status-page.png}. CI installs Chromium (.ci/run); elsewhere the test is
 * skipped when it is missing.
 */
class StatusPageBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Duration BROWSER_WAIT = Duration.ofSeconds(90);
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MINUTES);
  private static final Instant EXPORTED = NOW.minus(Duration.ofDays(3));

  @TempDir Path root;
  @TempDir Path browserHome;
  private Agent agent;

  @BeforeEach
  void start() throws IOException {
    if (!"true".equals(System.getenv("CI"))) {
      Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "no " + CHROMIUM + " (CI installs it)");
    }
    Path cfg = root.resolve("config.json");
    Files.writeString(cfg, "{\"zone\": \"UTC\", \"port\": 0}");
    Config config = ConfigLoader.load(root, cfg);
    Path dir = Files.createDirectories(config.reportsDir().resolve("ops_atomic"));
    // Healthy from 8 h to 5 h ago; nothing for two hours; then healthy, with a slow Redis for a while,
    // until the database went missing 40 minutes ago.
    for (Instant t = NOW.minus(Duration.ofHours(8)); t.isBefore(NOW.minus(Duration.ofHours(5))); t = t.plusSeconds(300)) {
      write(dir, t, TestReports.healthy(t));
    }
    for (Instant t = NOW.minus(Duration.ofHours(3)); t.isBefore(NOW); t = t.plusSeconds(300)) {
      boolean critical = t.isAfter(NOW.minus(Duration.ofMinutes(40)));
      boolean slow = t.isAfter(NOW.minus(Duration.ofMinutes(150))) && t.isBefore(NOW.minus(Duration.ofMinutes(120)));
      write(dir, t, critical ? TestReports.critical(t)
          : slow ? TestReports.report(t, "\u26A0\uFE0F  WARNINGS", "\u26A0\uFE0F Redis slow: 900ms", "\u2705 Database file exists")
          : TestReports.healthy(t));
    }
    write(dir, EXPORTED, TestReports.healthy(EXPORTED));
    agent = Agent.start(config, new MutableClock(NOW), 0);
    agent.catchup(CatchupOptions.FULL);
    agent.rollover(null, false); // the day of EXPORTED goes to Parquet: the rollover history has a row
  }

  private static void write(Path dir, Instant t, String text) throws IOException {
    Files.writeString(dir.resolve(TestReports.name(t)), text, StandardCharsets.UTF_8);
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  void timelineRendersALanePerCheckWithColouredCellsAndVisibleGaps() throws Exception {
    String url = "http://127.0.0.1:" + agent.port() + "/";

    String dom = chromium("dom", "--dump-dom", url);

    assertTrue(dom.matches("(?s).*<div id=\"timeline\" class=\"timeline\" data-state=\"ready\">.*"), dom);
    for (String lane : List.of("Overall", "Redis", "Database", "API Endpoints", "LaunchAgents / com.02luka.optimizer",
        "LaunchAgents / com.02luka.digest")) {
      assertTrue(dom.contains("data-lane=\"" + lane + "\""), "no lane " + lane);
    }
    String database = lane(dom, "Database");
    assertEquals(72, count(database, "class=\"cell\""), "one cell per report");
    assertTrue(count(database, "data-status=\"error\"") >= 7, "the missing database is red");
    assertEquals(2, count(database, "class=\"gap\""), "the gap before the first report and the two-hour gap");
    assertTrue(count(lane(dom, "Redis"), "data-status=\"warn\"") >= 5, "the slow Redis is amber");
    assertTrue(dom.contains("Database file not found"), "the latest report in full");
    assertTrue(dom.contains("<tr data-day=\"" + LocalDate.ofInstant(EXPORTED, ZoneOffset.UTC) + "\">"),
        "the rollover history");
    Path screenshot = Path.of("target", "status-page.png").toAbsolutePath();
    Files.createDirectories(screenshot.getParent());
    Files.deleteIfExists(screenshot);

    chromium("shot", "--screenshot=" + screenshot, url);

    assertTrue(Files.size(screenshot) > 10_000, "a screenshot of the page in " + screenshot);
  }

  /** The markup of one lane, up to the next. */
  private static String lane(String dom, String name) {
    int start = dom.indexOf("data-lane=\"" + name + "\"");
    assertTrue(start >= 0, "no lane " + name);
    int end = dom.indexOf("data-lane=", start + 10);
    return dom.substring(start, end < 0 ? dom.length() : end);
  }

  private static int count(String text, String what) {
    Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /** Runs Chromium headless on its own profile and returns what it printed on stdout. */
  private String chromium(String name, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--user-data-dir=" + browserHome.resolve(name + "-profile"),
        "--window-size=1400,900", "--virtual-time-budget=5000"));
    cmd.addAll(List.of(args));
    Path out = browserHome.resolve(name + ".out");
    Path err = browserHome.resolve(name + ".err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(BROWSER_WAIT.toSeconds(), TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      fail("chromium did not finish within " + BROWSER_WAIT.toSeconds() + " s: " + Files.readString(err));
    }
    assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(err));
    return Files.readString(out);
  }
}
