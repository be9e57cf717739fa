package com.luka02.heartbeat.serve;

import com.luka02.heartbeat.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.luka02.heartbeat.agent.Agent;
import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.ingest.CatchupOptions;
import com.luka02.heartbeat.fixtures.ReportText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
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
  /** Not UTC, so that a time shown without its zone, or in the browser's, would show. */
  private static final ZoneId ZONE = ZoneId.of("Asia/Bangkok");
  private static final String BAD = "heartbeat_2026-01-01_00-00-00.md";

  @TempDir Path root;
  @TempDir Path browserHome;
  private Agent agent;

  @BeforeEach
  void start() throws IOException {
    if (!"true".equals(System.getenv("CI"))) {
      Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "no " + CHROMIUM + " (CI installs it)");
    }
    Path cfg = root.resolve("config.json");
    Files.writeString(cfg, "{\"zone\": \"Asia/Bangkok\", \"port\": 0}");
    Config config = ConfigLoader.load(root, cfg);
    Path dir = Files.createDirectories(config.reportsDir().resolve("ops_atomic"));
    // Healthy from 8 h to 5 h ago; nothing for two hours; then healthy, with a slow Redis for a while,
    // until the database went missing 40 minutes ago.
    for (Instant t = NOW.minus(Duration.ofHours(8)); t.isBefore(NOW.minus(Duration.ofHours(5))); t = t.plusSeconds(300)) {
      write(dir, t, ReportText.healthy(t));
    }
    for (Instant t = NOW.minus(Duration.ofHours(3)); t.isBefore(NOW); t = t.plusSeconds(300)) {
      boolean critical = t.isAfter(NOW.minus(Duration.ofMinutes(40)));
      boolean slow = t.isAfter(NOW.minus(Duration.ofMinutes(150))) && t.isBefore(NOW.minus(Duration.ofMinutes(120)));
      write(dir, t, critical ? ReportText.critical(t)
          : slow ? ReportText.report(t, "warn", "\u26A0\uFE0F Redis slow: 900ms", "\u2705 Database file exists")
          : ReportText.healthy(t));
    }
    write(dir, EXPORTED, ReportText.healthy(EXPORTED));
    Files.writeString(dir.resolve(BAD), "# OPS-Atomic Monitor Heartbeat\n\nnot a report\n");
    agent = Agent.start(config, new MutableClock(NOW), 0);
    agent.catchup(CatchupOptions.FULL);
    agent.rollover(null, false); // the day of EXPORTED goes to Parquet: the rollover history has a row
  }

  /** Writes a report whose duration follows the minute of the hour, so that the chart has a shape. */
  private static void write(Path dir, Instant t, String text) throws IOException {
    int ms = 40 + t.atZone(ZoneOffset.UTC).getMinute() * 3;
    Files.writeString(dir.resolve(ReportText.name(t)), text.replace("**Duration:** 71ms", "**Duration:** " + ms + "ms"),
        StandardCharsets.UTF_8);
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

    assertTrue(dom.matches("(?s).*<div id=\"timeline\" class=\"timeline\" data-state=\"ready\"[^>]*>.*"), dom);
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
    assertTrue(dom.contains("<tr data-day=\"" + LocalDate.ofInstant(EXPORTED, ZONE) + "\">"),
        "the rollover history");
    assertTrue(dom.contains("id=\"rollover-error\" class=\"error\" hidden=\"\""), "no rollover error in red");
    assertStatusTellsTheTruth(dom);
    Path screenshot = Path.of("target", "status-page.png").toAbsolutePath();
    Files.createDirectories(screenshot.getParent());
    Files.deleteIfExists(screenshot);

    chromium("shot", "--screenshot=" + screenshot, url);

    assertTrue(Files.size(screenshot) > 10_000, "a screenshot of the page in " + screenshot);
  }

  /** The agent is fine, the system it watches is not: the page says both, with the alert and when it began. */
  private static void assertStatusTellsTheTruth(String dom) {
    assertTrue(dom.contains("id=\"health\" class=\"badge\" data-state=\"ok\">healthy<"), "the agent's own health");
    assertTrue(dom.matches("(?s).*id=\"monitored\" class=\"badge\" data-state=\"critical\"[^>]*>CRITICAL<.*"),
        "the monitored system");
    Instant lastCritical = NOW.minus(Duration.ofMinutes(5));
    Instant firstCritical = NOW.minus(Duration.ofMinutes(35)); // reports every 5 min; CRITICAL for the last 40
    assertTrue(dom.contains("last heartbeat 5 min ago (" + local(lastCritical) + " GMT+7)"), "when the last heartbeat came");
    assertTrue(dom.contains("data-alert=\"critical\">ALERT critical: every report says CRITICAL since "
        + local(firstCritical) + " GMT+7"),
        "the open alert and since when: the first of the CRITICAL reports");
    assertTrue(dom.contains("Times in Asia/Bangkok (UTC+07:00)."), "the zone of every time on the page");
    Matcher uptime = Pattern.compile("data-lane=\"Database\".*?data-uptime=\"([0-9.]+)\"").matcher(dom);
    assertTrue(uptime.find(), "an uptime per check");
    assertTrue(Double.parseDouble(uptime.group(1)) < 95 && Double.parseDouble(uptime.group(1)) > 80, uptime.group(1));
    assertTrue(dom.contains("id=\"durations\" class=\"chart\" data-state=\"ready\" data-points=\"72\""), "a duration_ms chart");
    assertTrue(dom.contains("<polyline points=\""), "drawn as a line");
    assertTrue(dom.contains("<tr data-path=\"g/reports/ops_atomic/" + BAD + "\">"), "the quarantine list");
  }

  private static String local(Instant t) {
    return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").format(t.atZone(ZONE));
  }

  @Test
  void fourteenDayRange_showsTheReportsOfTheExportedDayToo() throws Exception {
    String dom = chromium("range", "--dump-dom", "http://127.0.0.1:" + agent.port() + "/?hours=336");

    assertTrue(dom.contains("data-state=\"ready\" data-hours=\"336\""), "the 14-day range is drawn");
    assertTrue(dom.contains("<button type=\"button\" data-hours=\"336\" aria-pressed=\"true\">14 d</button>"), dom);
    assertTrue(dom.contains("<span id=\"range-title\">Last 14 days</span>"));
    assertEquals(73, count(lane(dom, "Overall"), "class=\"cell\""), "every report of the 14 days");
    assertTrue(dom.contains("data-at=\"" + EXPORTED + "\""), "the report three days old");
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
