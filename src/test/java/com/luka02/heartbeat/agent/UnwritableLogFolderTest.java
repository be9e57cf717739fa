package com.luka02.heartbeat.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.testing.AgentProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A log folder that cannot be written is said on the console and by /health, and the agent runs on. */
class UnwritableLogFolderTest {
  @TempDir Path root;

  @Test
  void unwritableLogFolderIsAWarningOnTheConsoleAndInHealth() throws Exception {
    Files.createDirectories(root.resolve("g/reports"));
    // A file where the folder should be: unwritable for every user, root included.
    Files.writeString(root.resolve("g/logs"), "not a folder");
    try (AgentProcess agent = AgentProcess.start(root, "--root", root.toString(), "run", "--port", "0")) {
      String warning = agent.await("warning: the log file", Duration.ofSeconds(60));
      assertTrue(warning.contains("g/logs/heartbeat-ingester.log") && warning.contains("is not a folder"), warning);
      agent.await("heartbeat-ingester agent: pid", Duration.ofSeconds(60));

      int port = AgentInfo.readLive(ConfigLoader.load(root, null).agentFile()).port();
      HttpResponse<String> res = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, res.statusCode(), res.body());
      JsonNode warnings = new ObjectMapper().readTree(res.body()).get("warnings");
      assertEquals(1, warnings.size(), res.body());
      assertTrue(warnings.get(0).asText().contains("cannot be written"), res.body());
    }
  }
}
