package com.luka02.heartbeat.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.fixtures.ReportText;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failing {@code onExport} command, as {@code status} and {@code /metrics} of a real agent show it. */
class ExportHookInAgentTest {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00.123Z");

  @TempDir Path root;
  private Agent agent;
  private Config config;
  private final BlockingQueue<String> hookRuns = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() throws Exception {
    Path cfg = Files.writeString(root.resolve("config.json"), """
        {"zone": "UTC", "port": 0, "parquetLayout": "hive", "host": "mac-a",
         "onExport": "sh -c 'echo remote unreachable for {host}/{day} >&2; exit 3'"}
        """);
    config = ConfigLoader.load(root, cfg);
    Path report = ReportText.write(Files.createDirectories(config.reportsDir().resolve("ops_atomic")), T0);
    // Written when it says, so that the start-up reconcile stages it before the first rollover.
    Files.setLastModifiedTime(report, java.nio.file.attribute.FileTime.from(T0));
    agent = Agent.start(config, Clock.fixed(T0.plusSeconds(86_400), ZoneOffset.UTC), 0);
    agent.addExportHookListener((outcome, at) -> hookRuns.add(outcome));
  }

  @AfterEach
  void stop() {
    agent.close();
  }

  @Test
  void aFailedRun_isCountedInMetrics_andShownByStatus_withoutFailingTheRollover() throws Exception {
    // The agent starts a day after the report: its first rollover exports that day, then runs the hook.
    assertEquals("failed", hookRuns.poll(30, TimeUnit.SECONDS));

    HttpBackend cli = new HttpBackend(AgentInfo.readLive(config.agentFile()));
    StatusReport report = cli.status();
    assertEquals(null, report.lastRolloverError(), "the export itself succeeded");
    assertTrue(Files.isRegularFile(config.parquetDir().resolve("host=mac-a/day=2026-11-20/ops_atomic_20261120_mac-a.parquet")));
    String status = report.render();
    assertTrue(status.contains("export hook:") && status.contains("exit code 3: remote unreachable for mac-a/2026-11-20")
        && status.contains("retry 1 of 3"), status);
    String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + agent.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    assertEquals(1, sample(metrics, "heartbeat_export_hook_runs_total{outcome=\"failed\"}"));
    assertEquals(0, sample(metrics, "heartbeat_export_hook_runs_total{outcome=\"ok\"}"));
    assertTrue(sample(metrics, "heartbeat_export_hook_last_failure_timestamp_seconds") > 0);
  }

  private static double sample(String metrics, String name) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(metrics);
    assertTrue(m.find(), name + " not in:\n" + metrics);
    return Double.parseDouble(m.group(1));
  }
}
