package com.luka02.heartbeat.cli;

import com.luka02.heartbeat.agent.Backend;
import com.luka02.heartbeat.serve.Truncation;
import com.luka02.heartbeat.serve.WireJson;
import com.luka02.heartbeat.store.QueryResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "query", mixinStandardHelpOptions = true,
    description = {"Runs one read-only SQL statement on the staging database and prints the result.",
        "all_heartbeats: every report, staged or only in its day's Parquet file (use it for history).",
        "Tables: heartbeats (staged rows only), quarantine, exports, seen_files."})
final class QueryCommand implements Callable<Integer> {
  enum Format { table, csv, json }

  @ParentCommand Main main;

  @Parameters(index = "0", paramLabel = "SQL", description = "One SELECT, WITH, FROM, VALUES, TABLE, DESCRIBE, SHOW or SUMMARIZE statement.")
  String sql;

  @Option(names = "--format", defaultValue = "table", description = "table, csv or json (an array of objects). Default: ${DEFAULT-VALUE}.")
  Format format;

  @Override
  public Integer call() throws Exception {
    try (Backend backend = main.backend(true)) {
      QueryResult r = backend.query(sql);
      System.out.print(render(r, format));
      if (r.truncated()) {
        System.err.println("warning: " + Truncation.message(r));
      }
      return 0;
    }
  }

  static String render(QueryResult r, Format format) throws Exception {
    return switch (format) {
      case json -> json(r);
      case csv -> csv(r);
      case table -> table(r);
    };
  }

  static String json(QueryResult r) throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (List<Object> row : r.rows()) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < r.columns().size(); i++) {
        m.put(r.columns().get(i), row.get(i));
      }
      rows.add(m);
    }
    if (r.truncated()) {
      rows.add(Truncation.marker(r));
    }
    return WireJson.write(rows) + "\n";
  }

  static String csv(QueryResult r) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.join(",", r.columns().stream().map(QueryCommand::csvField).toList())).append('\n');
    for (List<Object> row : r.rows()) {
      sb.append(String.join(",", row.stream().map(v -> v == null ? "" : csvField(String.valueOf(v))).toList()))
          .append('\n');
    }
    if (r.truncated()) {
      sb.append("# ").append(Truncation.message(r)).append('\n');
    }
    return sb.toString();
  }

  private static String csvField(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n") ? '"' + s.replace("\"", "\"\"") + '"' : s;
  }

  static String table(QueryResult r) {
    int n = r.columns().size();
    int[] width = new int[n];
    List<List<String>> cells = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      width[i] = r.columns().get(i).length();
    }
    for (List<Object> row : r.rows()) {
      List<String> line = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String v = row.get(i) == null ? "NULL" : String.valueOf(row.get(i)).replace("\n", "\\n");
        if (v.length() > 60) {
          v = v.substring(0, 57) + "...";
        }
        width[i] = Math.max(width[i], v.length());
        line.add(v);
      }
      cells.add(line);
    }
    StringBuilder sb = new StringBuilder();
    appendLine(sb, r.columns(), width);
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < n; i++) {
      rule.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
    }
    sb.append(rule).append('\n');
    for (List<String> line : cells) {
      appendLine(sb, line, width);
    }
    sb.append('(').append(r.rows().size()).append(r.rows().size() == 1 ? " row" : " rows")
        .append(r.truncated() ? "; " + Truncation.message(r) + ")\n" : ")\n");
    return sb.toString();
  }

  private static void appendLine(StringBuilder sb, List<String> values, int[] width) {
    for (int i = 0; i < values.size(); i++) {
      sb.append(i == 0 ? "" : " | ").append(String.format("%-" + width[i] + "s", values.get(i)));
    }
    sb.append('\n');
  }
}
