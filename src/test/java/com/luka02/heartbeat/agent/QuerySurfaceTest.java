package com.luka02.heartbeat.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.ConfigException;
import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.ingest.CatchupOptions;
import com.luka02.heartbeat.io.Json;
import com.luka02.heartbeat.serve.ApiToken;
import com.luka02.heartbeat.serve.BrowserGuard;
import com.luka02.heartbeat.store.QueryResult;
import com.luka02.heartbeat.fixtures.ReportText;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP query surface: loopback only, read-only, bounded, optionally behind a token. */
class QuerySurfaceTest {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00.123Z");
  private static final String TOKEN = "s3cret-token-0123456789";

  @TempDir Path root;
  private Agent agent;
  private final HttpClient http = HttpClient.newHttpClient();

  private Agent start(String extraConfig) throws Exception {
    ReportText.write(root.resolve("g/reports"), T0);
    Files.writeString(root.resolve("config.json"),
        "{\"zone\": \"UTC\", \"queryTimeoutSeconds\": 1, \"queryMaxRows\": 5" + extraConfig + "}");
    Config config = ConfigLoader.load(root, root.resolve("config.json"));
    agent = Agent.start(config, Clock.systemUTC(), 0);
    agent.catchup(CatchupOptions.FULL); // stages the report now: it is too young for the start-up scan
    return agent;
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  private HttpResponse<String> query(String sql, String authorization) throws Exception {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port()
        + "/query?sql=" + URLEncoder.encode(sql, StandardCharsets.UTF_8))).header(BrowserGuard.CLIENT_HEADER, "1");
    if (authorization != null) {
      req.header("Authorization", authorization);
    }
    return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
  }

  private long rows() {
    return ((Number) agent.query("SELECT count(*) FROM heartbeats").rows().get(0).get(0)).longValue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "DELETE FROM heartbeats", "DROP TABLE heartbeats", "UPDATE heartbeats SET status = 'x'",
      "INSERT INTO quarantine SELECT * FROM quarantine", "CREATE TABLE x AS SELECT 1", "ALTER TABLE heartbeats DROP COLUMN summary",
      "COPY heartbeats TO 'g/analytics/x.csv'", "EXPORT DATABASE 'g/analytics/dump'", "IMPORT DATABASE 'g/analytics/dump'",
      "ATTACH 'g/analytics/other.duckdb' AS o", "DETACH o", "SET enable_external_access = true", "RESET TimeZone",
      "PRAGMA enable_profiling", "INSTALL httpfs", "LOAD httpfs", "CALL checkpoint()",
      "SELECT 1; DROP TABLE heartbeats", "SELECT '--'; DELETE FROM heartbeats"})
  void statementsThatWriteAreRefusedWith400AndChangeNothing(String sql) throws Exception {
    start("");

    HttpResponse<String> res = query(sql, null);

    assertEquals(400, res.statusCode(), res.body());
    assertTrue(res.body().contains("expected"), res.body());
    assertEquals(1, rows());
  }

  @Test
  void filesOutsideTheReportsAndAnalyticsFoldersCannotBeRead() throws Exception {
    start("");
    Path secret = Files.writeString(root.resolve("secret.txt"), "hunter2");

    for (String sql : new String[] {
        "SELECT * FROM read_text('" + secret + "')",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM glob('/etc/*')",
        "SELECT * FROM read_text('" + root.resolve("g/reports/../../secret.txt") + "')"}) {
      HttpResponse<String> res = query(sql, null);
      assertEquals(400, res.statusCode(), sql + " -> " + res.body());
      assertTrue(!res.body().contains("hunter2") && !res.body().contains("root:"), res.body());
    }
  }

  @Test
  void theReportsFolderIsClosedToSqlWhileTheParquetArchiveIsOpen() throws Exception {
    start("");
    agent.rollover(null, false);

    HttpResponse<String> reports = query("SELECT count(*) AS n FROM read_text('" + root.resolve("g/reports") + "/*.md')", null);
    HttpResponse<String> archive = query("SELECT count(*) AS n FROM read_parquet('" + root.resolve("g/analytics") + "/*.parquet')", null);

    assertEquals(400, reports.statusCode(), reports.body());
    assertTrue(reports.body().contains("may read files only under"), reports.body());
    assertEquals(200, archive.statusCode(), archive.body());
  }

  @Test
  void slowQueryIsCancelledAtTheTimeLimit() throws Exception {
    start("");

    HttpResponse<String> res = query("SELECT count(*) FROM range(1000000000) a, range(1000) b", null);

    assertEquals(400, res.statusCode(), res.body());
    assertTrue(res.body().contains("time limit"), res.body());
    assertEquals(1, rows(), "the agent still answers");
  }

  @Test
  void resultsAreCappedAtTheRowLimit() throws Exception {
    start("");

    QueryResult r = agent.query("SELECT * FROM range(100)");
    JsonNode json = Json.mapper().readTree(query("SELECT * FROM range(100)", null).body());

    assertEquals(5, r.rows().size());
    assertTrue(r.truncated());
    assertEquals(6, json.size(), "five rows and the truncation marker");
  }

  @Test
  void serverListensOnLoopbackOnly() throws Exception {
    start("");
    Optional<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
        .filter(i -> !isLoopback(i))
        .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
        .findFirst();
    Assumptions.assumeTrue(external.isPresent(), "this machine has no non-loopback address to try");

    assertThrows(ConnectException.class, () -> new Socket(external.get(), agent.port()).close());
  }

  private static boolean isLoopback(NetworkInterface i) {
    try {
      return i.isLoopback();
    } catch (java.net.SocketException e) {
      return true;
    }
  }

  @Test
  void withATokenRequestsWithoutItAreRefusedWith401() throws Exception {
    Path token = Files.writeString(root.resolve("token"), TOKEN + "\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    start(", \"apiTokenFile\": \"token\"");

    assertEquals(401, query("SELECT 1", null).statusCode());
    assertEquals(401, query("SELECT 1", "Bearer wrong-token-0123456789").statusCode());
    assertEquals(200, query("SELECT 1", "Bearer " + TOKEN).statusCode());
    Config config = ConfigLoader.load(root, root.resolve("config.json"));
    try (Backend cli = new HttpBackend(agent.info(), ApiToken.load(config.apiTokenFile()))) {
      assertEquals(1, cli.status().rowsTotal());
    }
  }

  @Test
  void tokenFileReadableByOthersIsRefusedAtStart() throws Exception {
    Path token = Files.writeString(root.resolve("token"), TOKEN);
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));

    ConfigException e = assertThrows(ConfigException.class, () -> start(", \"apiTokenFile\": \"token\""));

    assertTrue(e.getMessage().contains("rw-------") && e.getMessage().contains("rw-r--r--"), e.getMessage());
  }
}
