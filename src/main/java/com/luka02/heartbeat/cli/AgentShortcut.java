package com.luka02.heartbeat.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.luka02.heartbeat.agent.AgentInfo;
import com.luka02.heartbeat.agent.HttpBackend;
import com.luka02.heartbeat.agent.StatusReport;
import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.serve.ApiToken;
import com.luka02.heartbeat.serve.Truncation;
import com.luka02.heartbeat.serve.WireJson;
import com.luka02.heartbeat.store.QueryResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * {@code query} and {@code status} answered by a running agent without building the command-line
 * model: picocli's reflection is a good part of a one-shot process's start-up. Only the plain forms
 * are taken ({@code [--root DIR] [--config FILE] query [--format F] SQL}, {@code status [--json]});
 * anything else, and every case without a live agent, goes through picocli as before, which also
 * gives every error its usual message and exit code.
 *
 * <p>A config file is not loaded whole here: binding it is most of a second JVM start's work (Jackson's
 * object mapper, then logging), and the agent checked it when it started. Only the two settings that
 * say where the agent's files are, {@code stagingDb} and {@code apiTokenFile}, are read, with
 * Jackson's streaming parser; a file that cannot be read so leaves the command to picocli.
 */
final class AgentShortcut {
  /** Returned when the shortcut does not apply. */
  static final int NOT_TAKEN = -1;

  private record Line(Path root, Path config, String command, String sql, QueryCommand.Format format, boolean json) {}

  private AgentShortcut() {}

  /** Runs {@code args} through a live agent and returns the exit code, or {@link #NOT_TAKEN}. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Line line = parse(args);
    if (line == null) {
      return NOT_TAKEN;
    }
    HttpBackend agent;
    try {
      Places places = places(line.root(), line.config());
      AgentInfo info = places == null ? null : places.agentFiles().stream().map(AgentInfo::readLive)
          .filter(Objects::nonNull).findFirst().orElse(null);
      if (info == null) {
        return NOT_TAKEN;
      }
      agent = new HttpBackend(info, ApiToken.load(places.apiTokenFile()));
    } catch (RuntimeException e) {
      return NOT_TAKEN; // picocli's path reports a bad config or token with its exit code
    }
    try {
      if (line.command().equals("status")) {
        StatusReport s = agent.status();
        out.print(line.json() ? WireJson.writePretty(s) + "\n" : s.render());
      } else {
        QueryResult r = agent.query(line.sql());
        out.print(QueryCommand.render(r, line.format()));
        if (r.truncated()) {
          err.println("warning: " + Truncation.message(r));
        }
      }
      out.flush();
      return 0;
    } catch (Exception e) {
      err.println("error: " + Main.message(e, line.command()));
      return Main.exitCode(e);
    }
  }

  /** Where the agent of a root may have written agent.json (in order), and its API token file (or null). */
  record Places(List<Path> agentFiles, Path apiTokenFile) {}

  /**
   * The agent's files as {@link ConfigLoader} places them: {@code stagingDb}'s folder, by default the
   * store's place or, for a store not yet moved, its old one; the token file relative to the root.
   * Null when the config file is missing or is not a JSON object with those two as non-blank strings.
   */
  static Places places(Path root, Path configFile) {
    Path absRoot = root.toAbsolutePath().normalize();
    String stagingDb = null;
    String tokenFile = null;
    if (configFile != null) {
      if (!Files.isRegularFile(configFile)) {
        return null;
      }
      try (JsonParser p = new JsonFactory().createParser(configFile.toFile())) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          return null;
        }
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
          String name = p.currentName();
          JsonToken value = p.nextToken();
          if (name.equals("stagingDb") || name.equals("apiTokenFile")) {
            if (value != JsonToken.VALUE_STRING || p.getText().isBlank()) {
              return null;
            }
            if (name.equals("stagingDb")) {
              stagingDb = p.getText();
            } else {
              tokenFile = p.getText();
            }
          } else {
            p.skipChildren();
          }
        }
      } catch (IOException e) {
        return null;
      }
    }
    List<Path> agentFiles = (stagingDb != null ? List.of(stagingDb)
        : List.of(ConfigLoader.DEFAULT_STAGING_DB, ConfigLoader.LEGACY_STAGING_DB)).stream()
        .map(db -> Config.agentFileBeside(absRoot.resolve(db).toAbsolutePath().normalize())).toList();
    return new Places(agentFiles, tokenFile == null ? null : absRoot.resolve(tokenFile).normalize());
  }

  /** The plain forms only; null for anything else (help, unknown options, a second SQL argument...). */
  static Line parse(String[] args) {
    Path root = Path.of(".");
    Path config = null;
    String command = null;
    String sql = null;
    QueryCommand.Format format = QueryCommand.Format.table;
    boolean json = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String value = i + 1 < args.length ? args[i + 1] : null;
      if (command == null && (a.equals("--root") || a.equals("--config")) && value != null) {
        if (a.equals("--root")) {
          root = Path.of(value);
        } else {
          config = Path.of(value);
        }
        i++;
      } else if (command == null && (a.equals("query") || a.equals("status"))) {
        command = a;
      } else if ("query".equals(command) && a.equals("--format") && value != null && format(value) != null) {
        format = format(value);
        i++;
      } else if ("query".equals(command) && sql == null && !a.isEmpty() && !a.startsWith("-")) {
        sql = a;
      } else if ("status".equals(command) && a.equals("--json") && !json) {
        json = true;
      } else {
        return null;
      }
    }
    if (command == null || (command.equals("query") && sql == null)) {
      return null;
    }
    return new Line(root, config, command, sql, format, json);
  }

  private static QueryCommand.Format format(String s) {
    for (QueryCommand.Format f : QueryCommand.Format.values()) {
      if (f.name().equals(s)) {
        return f;
      }
    }
    return null;
  }
}
