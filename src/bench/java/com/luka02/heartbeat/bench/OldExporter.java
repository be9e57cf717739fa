package com.luka02.heartbeat.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The nightly exporter this project replaces, rebuilt as the benchmark's baseline: it scans the whole
 * reports tree, reads and string-matches every heartbeat, writes every row to NDJSON, then has DuckDB
 * copy all of it to one Snappy Parquet file. Like the original it is single-threaded and matches
 * success phrases, so every failed check becomes {@code unknown} (the bug FORMAT.md describes).
 *
 * <p>Run as its own JVM: {@code java -cp heartbeat-ingester-bench.jar com.luka02.heartbeat.bench.OldExporter ROOT OUT.parquet}
 * (the bench jar's manifest puts heartbeat-ingester.jar, and DuckDB, beside it on the class path).
 */
public final class OldExporter {
  private static final Pattern TIMESTAMP = Pattern.compile("\\*\\*Timestamp:\\*\\* (.+)");
  private static final Pattern DURATION = Pattern.compile("\\*\\*Duration:\\*\\* (\\d+)ms");

  /** What one export did, with the time of each phase. */
  record Result(long files, long bytes, long scanMs, long ndjsonMs, long copyMs) {
    String describe(Path out) {
      return "old exporter: %d rows -> %s (%d bytes); scan+parse %d ms, ndjson %d ms, duckdb copy %d ms"
          .formatted(files, out, bytes, scanMs, ndjsonMs, copyMs);
    }
  }

  private OldExporter() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: OldExporter ROOT OUT.parquet");
      System.exit(2);
    }
    Path out = Path.of(args[1]).toAbsolutePath();
    Result r = export(Path.of(args[0]), out);
    System.out.println(r.describe(out));
  }

  /** Exports every heartbeat under {@code root}/g/reports to {@code out}, replacing it. */
  static Result export(Path root, Path out) throws IOException, SQLException {
    long start = System.nanoTime();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Path file : heartbeats(root.resolve("g/reports"))) {
      rows.add(parse(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8)));
    }
    long scanned = System.nanoTime();
    Path ndjson = out.resolveSibling(out.getFileName() + ".ndjson");
    writeNdjson(rows, ndjson);
    long written = System.nanoTime();
    try {
      Files.deleteIfExists(out);
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
        s.execute("COPY (SELECT * FROM read_json_auto(" + literal(ndjson) + ")) TO " + literal(out)
            + " (FORMAT PARQUET, COMPRESSION SNAPPY)");
      }
    } finally {
      Files.deleteIfExists(ndjson);
    }
    long copied = System.nanoTime();
    return new Result(rows.size(), Files.size(out), ms(start, scanned), ms(scanned, written), ms(written, copied));
  }

  /** Every {@code heartbeat_*.md} anywhere under the reports folder, in directory order. */
  private static List<Path> heartbeats(Path reports) throws IOException {
    try (Stream<Path> all = Files.walk(reports)) {
      return all.filter(p -> {
        String name = p.getFileName().toString();
        return name.startsWith("heartbeat_") && name.endsWith(".md") && Files.isRegularFile(p);
      }).toList();
    }
  }

  /** The old parser: whole-file phrase matching. A check is {@code ok} only if its success phrase appears. */
  static Map<String, Object> parse(String filename, String text) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("filename", filename);
    row.put("report_type", "heartbeat");
    Matcher ts = TIMESTAMP.matcher(text);
    row.put("timestamp", ts.find() ? ts.group(1).trim() : null);
    row.put("status", text.contains("HEALTHY") ? "ok" : text.contains("WARNINGS") ? "warn"
        : text.contains("CRITICAL") ? "error" : "unknown");
    Matcher d = DURATION.matcher(text);
    row.put("duration_ms", d.find() ? Integer.valueOf(d.group(1)) : null);
    row.put("redis_status", text.contains("Redis responding") ? "ok" : "unknown");
    row.put("database_status", text.contains("Database file exists") ? "ok" : "unknown");
    row.put("api_status", text.contains("Endpoint responding") ? "ok" : "unknown");
    row.put("launchagent_optimizer", text.contains("com.02luka.optimizer:** \u2705 LaunchAgent loaded") ? "loaded" : "unknown");
    row.put("launchagent_digest", text.contains("com.02luka.digest:** \u2705 LaunchAgent loaded") ? "loaded" : "unknown");
    return row;
  }

  private static void writeNdjson(List<Map<String, Object>> rows, Path ndjson) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(ndjson, StandardCharsets.UTF_8);
        JsonGenerator g = new JsonFactory().createGenerator(w)) {
      g.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
      for (Map<String, Object> row : rows) {
        g.writeStartObject();
        for (Map.Entry<String, Object> e : row.entrySet()) {
          g.writeObjectField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
      }
      g.writeRaw('\n');
    }
  }

  private static String literal(Path p) {
    return "'" + p.toString().replace("'", "''") + "'";
  }

  private static long ms(long from, long to) {
    return (to - from) / 1_000_000;
  }
}
