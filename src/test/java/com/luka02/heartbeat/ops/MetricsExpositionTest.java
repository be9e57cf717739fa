package com.luka02.heartbeat.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.luka02.heartbeat.agent.Agent;
import com.luka02.heartbeat.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics} of a real agent: the JVM's own metrics, a build info, and the format the scraper asks for. */
class MetricsExpositionTest {
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  @TempDir Path root;
  private Agent agent;

  @BeforeEach
  void start() throws Exception {
    Files.createDirectories(root.resolve("g/reports"));
    agent = Agent.start(ConfigLoader.load(root, null), Clock.systemUTC(), 0);
  }

  @AfterEach
  void stop() {
    agent.close();
  }

  private HttpResponse<String> get(String accept) throws Exception {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + "/metrics"));
    if (accept != null) {
      req.header("Accept", accept);
    }
    return HttpClient.newHttpClient().send(req.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void prometheusText_byDefault_withJvmProcessAndBuildInfo() throws Exception {
    HttpResponse<String> res = get(null);

    assertEquals("text/plain; version=0.0.4; charset=utf-8", res.headers().firstValue("Content-Type").orElse(""));
    for (String name : List.of("jvm_memory_used_bytes{", "jvm_gc_collection_seconds_count{", "jvm_threads_current ",
        "process_cpu_seconds_total ", "process_resident_memory_bytes ", "heartbeat_reports_staged_total ")) {
      assertTrue(res.body().contains("\n" + name), name + " missing");
    }
    assertTrue(res.body().contains("heartbeat_build_info{java=\"" + System.getProperty("java.runtime.version")
        + "\",version=\"" + Metrics.VERSION + "\"} 1"), res.body());
  }

  /** Exemplars are off (prometheus.properties): their sampler's thread would wake the idle agent every few seconds. */
  @Test
  void noExemplarSamplerThreadWakesTheAgent() throws Exception {
    assertEquals(200, get(null).statusCode());

    assertEquals(List.of(), Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
        .filter(n -> n.startsWith("prometheus-metrics-scheduler")).toList());
  }

  @Test
  void openMetrics_whenTheScraperAsksForIt() throws Exception {
    HttpResponse<String> res = get("application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");

    assertEquals(OPENMETRICS, res.headers().firstValue("Content-Type").orElse(""));
    assertTrue(res.body().endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
    assertTrue(res.body().contains("\nheartbeat_build_info{"), res.body());
  }

  /** promtool lints the Prometheus text format (2.42, Debian 12, parses no OpenMetrics); no output is no problem. */
  @Test
  void promtoolFindsNothingToComplainAbout() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(PROMTOOL), "no " + PROMTOOL + " (Debian: apt-get install prometheus)");
    Path body = Files.writeString(root.resolve("metrics.txt"), get(null).body());
    Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectInput(body.toFile())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool did not finish");
    assertEquals(0, p.exitValue(), "promtool check metrics:\n" + out);
    assertEquals("", out.strip(), "promtool's lint findings");
  }
}
