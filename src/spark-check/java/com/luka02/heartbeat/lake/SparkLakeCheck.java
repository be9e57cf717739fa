package com.luka02.heartbeat.lake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.unix_micros;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.luka02.heartbeat.bench.DayOfReports;
import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.export.DayResult;
import com.luka02.heartbeat.export.Rollover;
import com.luka02.heartbeat.ingest.CatchupOptions;
import com.luka02.heartbeat.ingest.Ingester;
import com.luka02.heartbeat.store.QueryResult;
import com.luka02.heartbeat.store.StagingStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Three Macs' hive output, made by the real ingester and rollover from generated days of reports,
 * merged into one folder as a sync to a shared bucket would, and read by Apache Spark as one table.
 */
class SparkLakeCheck {
  private static final List<String> HOSTS = List.of("mac-a", "mac-b", "mac-c");
  private static final LocalDate FIRST = LocalDate.of(2026, 2, 10);
  private static final Instant NOW = FIRST.plusDays(4).atTime(9, 0).toInstant(ZoneOffset.UTC);

  @TempDir static Path dir;
  private static Path lake;
  /** host|day -> rows, host -> [rows, min micros, max micros, database errors], from each host's DuckDB. */
  private static final Map<String, Long> expectedRows = new TreeMap<>();
  private static final Map<String, long[]> expectedHost = new TreeMap<>();
  private static SparkSession spark;
  private static Dataset<Row> table;

  @BeforeAll
  static void makeTheLake() throws IOException {
    lake = Files.createDirectories(dir.resolve("lake"));
    for (int h = 0; h < HOSTS.size(); h++) {
      exportHost(HOSTS.get(h), h);
    }
    spark = SparkSession.builder().master("local[2]").appName("lake-check")
        .config("spark.ui.enabled", "false").config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC").getOrCreate();
    table = spark.read().parquet(lake.toString());
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  /** One Mac: its own root, two generated days, a catch-up and a rollover, then its folder synced into the lake. */
  private static void exportHost(String host, int seed) throws IOException {
    Path root = Files.createDirectories(dir.resolve(host));
    Path cfg = Files.writeString(root.resolve("config.json"),
        "{\"zone\": \"UTC\", \"parquetLayout\": \"hive\", \"host\": \"" + host + "\"}");
    Config config = ConfigLoader.load(root, cfg);
    DayOfReports.write(root, FIRST, 100 + seed);
    DayOfReports.write(root, FIRST.plusDays(1), 200 + seed);
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    try (StagingStore store = StagingStore.open(config)) {
      new Ingester(config, store, clock).catchup(CatchupOptions.FULL);
      List<DayResult> days = new Rollover(config, store, clock).runDue();
      assertTrue(!days.isEmpty() && days.stream().allMatch(DayResult::ok), String.valueOf(days));
      for (List<Object> r : store.query("SELECT report_day::VARCHAR, count(*) FROM heartbeats GROUP BY 1", 100,
          java.time.Duration.ofSeconds(30)).rows()) {
        expectedRows.put(host + "|" + r.get(0), ((Number) r.get(1)).longValue());
      }
      QueryResult all = store.query("SELECT count(*), epoch_us(min(\"timestamp\")), epoch_us(max(\"timestamp\")), "
          + "count(*) FILTER (WHERE database_status = 'error') FROM heartbeats", 1, java.time.Duration.ofSeconds(30));
      expectedHost.put(host, all.rows().get(0).stream().mapToLong(v -> ((Number) v).longValue()).toArray());
    }
    copyTree(config.parquetDir(), lake);
  }

  @Test
  void everyHostAndDay_readsWithItsExactRowCount() {
    Map<String, Long> read = new TreeMap<>();
    for (Row r : table.groupBy("host", "day").count().collectAsList()) {
      read.put(r.getString(0) + "|" + r.get(1), r.getLong(2));
    }
    assertEquals(expectedRows, read);
    assertTrue(expectedRows.size() >= 6, "three hosts, two days or more each: " + expectedRows.keySet());
  }

  @Test
  void timestamps_readAsInstants_exactlyAsStaged() {
    for (Row r : table.groupBy("host").agg(count(lit(1)), min(unix_micros(col("timestamp"))),
        max(unix_micros(col("timestamp")))).collectAsList()) {
      long[] e = expectedHost.get(r.getString(0));
      assertEquals(List.of(e[0], e[1], e[2]), List.of(r.getLong(1), r.getLong(2), r.getLong(3)), r.getString(0));
    }
  }

  @Test
  void aFilterOnDayAndHost_readsOneFile_withBothAsPartitionFilters() {
    Dataset<Row> one = table.where(col("day").equalTo(lit(FIRST.toString())).and(col("host").equalTo("mac-b")));
    long rows = one.count();

    assertEquals(expectedRows.get("mac-b|" + FIRST), rows);
    FileSourceScanExec scan = scan(one.queryExecution().executedPlan());
    String plan = scan.simpleString(1000);
    assertTrue(plan.matches("(?s).*PartitionFilters: \\[[^\\]]*day[^\\]]*host.*|.*PartitionFilters: \\[[^\\]]*host[^\\]]*day.*"),
        plan);
    one.collectAsList(); // the scan's file metrics are filled when it runs
    assertEquals(1L, scan.metrics().apply("numFiles").value(), plan);
    System.out.printf("lake: %d files; %s%n", expectedRows.size(), plan.replaceAll("\\s+", " "));
  }

  @Test
  void checks_parseWithFromJson() {
    Dataset<Row> bullets = table.select(col("host"), explode(from_json(col("checks"),
        org.apache.spark.sql.types.DataType.fromDDL(
            "array<struct<section:string,label:string,status:string,message:string>>"))).as("c"));
    for (String host : HOSTS) {
      long databaseErrors = bullets.where(col("host").equalTo(host).and(col("c.section").equalTo("Database"))
          .and(col("c.status").equalTo("error"))).count();
      assertEquals(expectedHost.get(host)[3], databaseErrors, host);
    }
    assertEquals(0, bullets.where(col("c.status").isNull()).count(), "every bullet parsed");
  }

  private static FileSourceScanExec scan(SparkPlan plan) {
    for (SparkPlan leaf : CollectionConverters.asJava(plan.collectLeaves())) {
      if (leaf instanceof FileSourceScanExec s) {
        return s;
      }
    }
    throw new AssertionError("no file scan in\n" + plan);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        Files.createDirectories(target.getParent());
        Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
  }
}
