package com.luka02.heartbeat.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.luka02.heartbeat.agent.Agent;
import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.ingest.CatchupOptions;
import com.luka02.heartbeat.fixtures.ReportText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A running agent on the real layout (reports, staging store, Parquet days) under attack over
 * loopback HTTP, with what an attack could change fingerprinted: every file under the root, and
 * every table, view and setting of the store.
 */
final class QueryTarget implements AutoCloseable {
  static final Instant DAY1 = Instant.parse("2026-11-20T10:00:00Z");
  static final Instant DAY2 = Instant.parse("2026-11-21T10:05:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Every table's rows, the catalog and the settings that guard SQL, as one text to compare. */
  private static final String STORE_PRINT = """
      SELECT (SELECT count(*) || ':' || coalesce(md5(string_agg(h::VARCHAR, '|' ORDER BY h::VARCHAR)), '') FROM heartbeats h)
          || ' ' || (SELECT count(*) || ':' || coalesce(md5(string_agg(s::VARCHAR, '|' ORDER BY s::VARCHAR)), '') FROM seen_files s)
          || ' ' || (SELECT count(*) || ':' || coalesce(md5(string_agg(q::VARCHAR, '|' ORDER BY q::VARCHAR)), '') FROM quarantine q)
          || ' ' || (SELECT count(*) || ':' || coalesce(md5(string_agg(e::VARCHAR, '|' ORDER BY e::VARCHAR)), '') FROM exports e)
          || ' ' || (SELECT count(*) || ':' || coalesce(md5(string_agg(a::VARCHAR, '|' ORDER BY a::VARCHAR)), '') FROM agent_state a)
          || ' ' || (SELECT string_agg(database_name || '.' || schema_name || '.' || table_name, ',' ORDER BY database_name, schema_name, table_name) FROM duckdb_tables())
          || ' ' || (SELECT count(*) FROM duckdb_views() WHERE NOT internal)
          || ' ' || (SELECT count(*) FROM duckdb_sequences())
          || ' ' || (SELECT count(*) FROM duckdb_databases())
          || ' ' || (SELECT string_agg(name || '=' || value, ',' ORDER BY name) FROM duckdb_settings()
                     WHERE name IN ('allowed_directories', 'enable_external_access', 'lock_configuration',
                                    'memory_limit', 'threads', 'TimeZone', 'temp_directory',
                                    'autoload_known_extensions', 'autoinstall_known_extensions'))
          AS print
      """;

  final Path root;
  final Config config;
  final Agent agent;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** Starts an agent on {@code root} with two staged and exported days; {@code extraConfig} is appended to the JSON. */
  QueryTarget(Path root, String extraConfig) throws IOException {
    this.root = root;
    // Written an hour ago: none is too young for the start-up scan, so no settling of young files
    // (and the rollover look that follows it) writes while the test looks.
    FileTime anHourAgo = FileTime.from(Instant.now().minusSeconds(3600));
    Files.setLastModifiedTime(ReportText.write(root.resolve("g/reports"), DAY1), anHourAgo);
    Files.setLastModifiedTime(ReportText.write(root.resolve("g/reports/2026/11"), DAY2), anHourAgo);
    // Alerts and reconciles far apart: nothing but an attack may write while the test looks.
    Files.writeString(root.resolve("config.json"), "{\"zone\": \"UTC\", \"alertCheckSeconds\": 3600,"
        + " \"reconcileIntervalSeconds\": 3600" + extraConfig + "}");
    this.config = ConfigLoader.load(root, root.resolve("config.json"));
    this.agent = Agent.start(config, Clock.systemUTC(), 0);
    agent.catchup(CatchupOptions.FULL);
    agent.rollover(null, false);
    assertTrue(Files.exists(dayFile(DAY1)) && Files.exists(dayFile(DAY2)), "both days exported before the attack");
  }

  Path store() {
    return config.stagingDb();
  }

  Path dayFile(Instant day) {
    return config.parquetDir().resolve("ops_atomic_" + day.toString().substring(0, 10).replace("-", "") + ".parquet");
  }

  HttpResponse<String> get(String pathAndQuery) {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + pathAndQuery))
        .header(com.luka02.heartbeat.agent.HttpBackend.CLIENT_HEADER, "1").timeout(Duration.ofSeconds(60)).build();
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> query(String sql) {
    return get("/query?sql=" + URLEncoder.encode(sql, StandardCharsets.UTF_8));
  }

  /** The store's fingerprint, read through the query surface itself (our own SELECT passes the gate). */
  String storePrint() throws IOException {
    HttpResponse<String> res = query(STORE_PRINT);
    assertEquals(200, res.statusCode(), res.body());
    JsonNode rows = JSON.readTree(res.body());
    return rows.get(0).get("print").asText();
  }

  /** SHA-256 of every file under the root, by relative path. */
  Map<String, String> files() throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        out.put(root.relativize(p).toString(), sha256(p));
      }
    }
    return out;
  }

  private static String sha256(Path p) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } catch (java.nio.file.NoSuchFileException e) {
      return "(vanished)";
    }
  }

  @Override
  public void close() {
    agent.close();
  }
}
