package com.luka02.heartbeat.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.luka02.heartbeat.io.AtomicFiles;
import com.luka02.heartbeat.io.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What a bench run found: a table for people and the same figures, with every sample, as JSON. */
final class Results {

  /** One line of the table; {@code met} is null when the figure has no goal. */
  record Row(String measurement, String value, String goal, Boolean met) {}

  private final ObjectNode root = JsonNodeFactory.instance.objectNode();
  private final List<String> header = new ArrayList<>();
  private final List<Row> rows = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();

  ObjectNode json() {
    return root;
  }

  /** The JSON object for one measurement, created on first use. */
  ObjectNode section(String name) {
    return root.has(name) ? (ObjectNode) root.get(name) : root.putObject(name);
  }

  void header(String line) {
    header.add(line);
  }

  void row(String measurement, String value) {
    rows.add(new Row(measurement, value, "", null));
  }

  void row(String measurement, String value, String goal, boolean met) {
    rows.add(new Row(measurement, value, goal, met));
  }

  /** Records a measurement that could not be taken; the run goes on with the next one. */
  void failed(String measurement, Throwable e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    failures.add(measurement + ": " + message);
    rows.add(new Row(measurement, "FAILED: " + firstLine(message), "", false));
    ArrayNode errors = root.has("errors") ? (ArrayNode) root.get("errors") : root.putArray("errors");
    errors.addObject().put("measurement", measurement).put("error", message);
  }

  boolean anyFailed() {
    return !failures.isEmpty();
  }

  void print(PrintStream out) {
    header.forEach(out::println);
    int w0 = "measurement".length();
    int w1 = "value".length();
    int w2 = "goal".length();
    for (Row r : rows) {
      w0 = Math.max(w0, r.measurement().length());
      w1 = Math.max(w1, r.value().length());
      w2 = Math.max(w2, r.goal().length());
    }
    String format = "%-" + w0 + "s  %-" + w1 + "s  %-" + w2 + "s  %s%n";
    out.println();
    out.printf(format, "measurement", "value", "goal", "met");
    out.printf(format, "-".repeat(w0), "-".repeat(w1), "-".repeat(w2), "---");
    for (Row r : rows) {
      out.printf(format, r.measurement(), r.value(), r.goal(), r.met() == null ? "" : r.met() ? "yes" : "NO");
    }
    ArrayNode table = root.putArray("table");
    for (Row r : rows) {
      ObjectNode o = table.addObject().put("measurement", r.measurement()).put("value", r.value())
          .put("goal", r.goal());
      if (r.met() != null) {
        o.put("met", r.met());
      }
    }
  }

  /** Writes the JSON next to {@code file} and renames it into place. */
  void write(Path file) throws IOException {
    Path abs = file.toAbsolutePath();
    Files.createDirectories(abs.getParent());
    AtomicFiles.write(abs, out -> Json.mapper().writerWithDefaultPrettyPrinter().writeValue(out, root));
  }

  /** Nearest-rank percentile of ascending {@code sorted}; 0 when empty. */
  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
  }

  static long median(long... values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted.length == 0 ? 0 : sorted[(sorted.length - 1) / 2];
  }

  static String mb(long kb) {
    return "%.0f MB".formatted(kb / 1024.0);
  }

  static String ms(long ms) {
    return ms >= 10_000 ? "%.1f s".formatted(ms / 1000.0) : ms + " ms";
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 100 ? line.substring(0, 97) + "..." : line;
  }
}
