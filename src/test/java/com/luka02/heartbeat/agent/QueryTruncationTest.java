package com.luka02.heartbeat.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.io.Json;
import com.luka02.heartbeat.serve.Truncation;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /query} results cut at queryMaxRows carry a header and a marker in both shapes. */
class QueryTruncationTest {
  @TempDir Path root;
  private Agent agent;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  private HttpResponse<String> get(String sql, String shape) throws Exception {
    Files.createDirectories(root.resolve("g/reports"));
    if (agent == null) {
      Files.writeString(root.resolve("config.json"), "{\"zone\": \"UTC\", \"queryMaxRows\": 3}");
      Config config = ConfigLoader.load(root, root.resolve("config.json"));
      agent = Agent.start(config, Clock.systemUTC(), 0);
    }
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + "/query?shape=" + shape
        + "&sql=" + URLEncoder.encode(sql, StandardCharsets.UTF_8))).header(HttpBackend.CLIENT_HEADER, "1").build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void cutArray_hasTheHeader_andEndsWithTheMarker() throws Exception {
    HttpResponse<String> res = get("SELECT * FROM range(10)", "rows");
    JsonNode body = Json.mapper().readTree(res.body());
    assertEquals(Optional.of("3"), res.headers().firstValue(Truncation.HEADER));
    assertEquals(4, body.size());
    assertTrue(body.get(3).get("_truncated").asBoolean(), res.body());
  }

  @Test
  void cutTable_hasTheHeader_andTheFlag() throws Exception {
    HttpResponse<String> res = get("SELECT * FROM range(10)", "table");
    assertEquals(Optional.of("3"), res.headers().firstValue(Truncation.HEADER));
    assertTrue(Json.mapper().readTree(res.body()).get("truncated").asBoolean(), res.body());
  }

  @Test
  void wholeResult_hasNeither() throws Exception {
    HttpResponse<String> res = get("SELECT * FROM range(3)", "rows");
    assertEquals(Optional.empty(), res.headers().firstValue(Truncation.HEADER));
    assertEquals(3, Json.mapper().readTree(res.body()).size());
  }
}
