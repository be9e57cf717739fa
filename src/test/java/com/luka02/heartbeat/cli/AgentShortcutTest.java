package com.luka02.heartbeat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.luka02.heartbeat.agent.Agent;
import com.luka02.heartbeat.io.Json;
import com.luka02.heartbeat.agent.StatusReport;
import com.luka02.heartbeat.serve.WireJson;
import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.store.QueryResult;
import com.luka02.heartbeat.fixtures.ReportText;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code query} and {@code status} through a running agent, the short way a one-shot process takes:
 * the same output as the full command line, and the full command line for everything else.
 */
class AgentShortcutTest {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00.123Z");

  @TempDir Path root;
  private Agent agent;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void start() throws Exception {
    Path report = ReportText.write(root.resolve("g/reports"), T0);
    // Old enough to be staged by the start's catch-up, rather than settled afterwards.
    Files.setLastModifiedTime(report, java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(3600)));
    Config config = ConfigLoader.load(root, null);
    Files.writeString(root.resolve("config.json"), "{\"port\": 0, \"zone\": \"UTC\"}");
    agent = Agent.start(ConfigLoader.load(root, root.resolve("config.json")), Clock.systemUTC(), 0);
    assertNotNull(com.luka02.heartbeat.agent.AgentInfo.readLive(config.agentFile()), "the agent wrote no agent file");
  }

  @AfterEach
  void stop() {
    agent.close();
  }

  private int run(String... args) {
    return AgentShortcut.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aQueryIsAnsweredByTheAgentInEveryFormat() throws Exception {
    String sql = "SELECT filename, status, duration_ms, 2.5 AS x, [1, 2] AS l, NULL AS n FROM heartbeats";
    QueryResult expected = agent.query(sql);
    for (QueryCommand.Format f : QueryCommand.Format.values()) {
      out.reset();
      assertEquals(0, run("--root", root.toString(), "query", "--format", f.name(), sql), err.toString());
      assertEquals(QueryCommand.render(expected, f), out(), f.name());
    }
    assertTrue(out().contains("\"filename\":\"" + ReportText.name(T0) + "\""), out());
  }

  @Test
  void statusIsTheAgentsInTextAndJsonAsTheMapperWritesIt() throws Exception {
    assertEquals(0, run("--root", root.toString(), "status"), err.toString());
    assertTrue(out().startsWith("agent:           up, pid " + ProcessHandle.current().pid()), out());
    out.reset();
    assertEquals(0, run("--root", root.toString(), "status", "--json"), err.toString());
    StatusReport read = Json.mapper().readValue(out.toByteArray(), StatusReport.class);
    assertEquals(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(read) + "\n", out());
    assertEquals(read, WireJson.flatRecord(Json.mapper().writeValueAsBytes(read), StatusReport.class));
  }

  @Test
  void aConfigFileIsReadForThePlacesOfTheAgentsFilesAlone() throws Exception {
    QueryResult expected = agent.query("SELECT count(*) AS n FROM heartbeats");
    assertEquals(0, run("--root", root.toString(), "--config", root.resolve("config.json").toString(), "query",
        "SELECT count(*) AS n FROM heartbeats"), err.toString());
    assertEquals(QueryCommand.render(expected, QueryCommand.Format.table), out());

    // The same places as the whole config gives, for a store moved elsewhere and a token file.
    Path cfg = Files.writeString(root.resolve("moved.json"), "{\"zone\": \"UTC\", \"redactPatterns\": [\"key=(\\\\S+)\"],"
        + " \"stagingDb\": \"elsewhere/../db/s.duckdb\", \"apiTokenFile\": \"t/token\"}");
    Config whole = ConfigLoader.load(root, cfg);
    AgentShortcut.Places places = AgentShortcut.places(root, cfg);
    assertEquals(java.util.List.of(whole.agentFile()), places.agentFiles());
    assertEquals(whole.apiTokenFile(), places.apiTokenFile());
    assertEquals(ConfigLoader.load(root, null).agentFile(), AgentShortcut.places(root, null).agentFiles().get(0));
  }

  @Test
  void aConfigFileTheShortcutCannotReadIsLeftToTheFullCommandLine() throws Exception {
    for (String text : new String[] {"{\"stagingDb\": 3}", "{\"stagingDb\": \" \"}", "[1]", "{\"zone\": "}) {
      Path cfg = Files.writeString(root.resolve("bad.json"), text);
      assertNull(AgentShortcut.places(root, cfg), text);
      assertEquals(AgentShortcut.NOT_TAKEN, run("--root", root.toString(), "--config", cfg.toString(), "status"), text);
    }
    assertEquals(AgentShortcut.NOT_TAKEN,
        run("--root", root.toString(), "--config", root.resolve("none.json").toString(), "status"));
  }

  @Test
  void aRefusedQueryGivesTheUsualMessageAndExitCode() {
    assertEquals(Main.FAILED, run("--root", root.toString(), "query", "DROP TABLE heartbeats"));
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("error: query failed: "), err.toString());
  }

  @Test
  void anythingButThePlainFormsIsLeftToTheFullCommandLine() {
    assertEquals(AgentShortcut.NOT_TAKEN, run("--root", root.toString(), "query", "--help"));
    assertEquals(AgentShortcut.NOT_TAKEN, run("--root", root.toString(), "query", "SELECT 1", "SELECT 2"));
    assertEquals(AgentShortcut.NOT_TAKEN, run("--root", root.toString(), "query", "--format", "xml", "SELECT 1"));
    assertEquals(AgentShortcut.NOT_TAKEN, run("--root", root.toString(), "catchup"));
    assertEquals(AgentShortcut.NOT_TAKEN, run("--root", root.resolve("elsewhere").toString(), "status"),
        "no agent runs there");
    assertEquals(AgentShortcut.NOT_TAKEN, run("--root", root.toString(), "--config", root.resolve("missing.json").toString(), "status"),
        "a bad config is reported by the full command line");
    assertNull(AgentShortcut.parse(new String[] {"status", "--json", "--json"}));
    assertEquals("", out());
  }
}
