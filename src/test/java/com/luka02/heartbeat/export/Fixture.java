package com.luka02.heartbeat.export;

import com.luka02.heartbeat.testing.MutableClock;
import com.luka02.heartbeat.fixtures.ReportText;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.ingest.CatchupOptions;
import com.luka02.heartbeat.ingest.Ingester;
import com.luka02.heartbeat.store.ExportRecord;
import com.luka02.heartbeat.store.StagingStore;
import com.luka02.heartbeat.store.StoreStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A real root in a temp folder: a JSON config, heartbeat files in the monitor's format, a real
 * DuckDB staging file and a hand-moved clock. Parquet files are read back through a DuckDB of its own.
 */
final class Fixture implements AutoCloseable {
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  final Path root;
  final MutableClock clock;
  final Config config;
  StagingStore store;

  private Fixture(Path root, Instant now, Config config) {
    this.root = root;
    this.clock = new MutableClock(now);
    this.config = config;
    this.store = StagingStore.open(config);
  }

  /** A root in {@code dir} zoned in Europe/Berlin; {@code settings} are extra JSON members, e.g. {@code "retentionDays": 3}. */
  static Fixture create(Path dir, Instant now, String... settings) throws IOException {
    return new Fixture(dir, now, ConfigLoader.load(dir, writeConfig(dir, settings)));
  }

  private static Path writeConfig(Path dir, String... settings) throws IOException {
    List<String> members = new ArrayList<>(List.of("\"zone\": \"Europe/Berlin\"", "\"host\": \"testhost\""));
    members.addAll(List.of(settings));
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{" + String.join(", ", members) + "}\n", UTF_8);
    return file;
  }

  /** The instant of a local time in Europe/Berlin. */
  static Instant at(LocalDate day, String localTime) {
    return ZonedDateTime.of(day, LocalTime.parse(localTime), BERLIN).toInstant();
  }

  /** Writes a report as the monitor does; {@code status} is ok, warn or error. */
  Path heartbeat(Instant timestamp, String status) throws IOException {
    Path dir = config.reportsDir().resolve("ops_atomic");
    Files.createDirectories(dir);
    Path file = dir.resolve(ReportText.name(timestamp));
    Files.writeString(file, report(timestamp, status), UTF_8);
    return file;
  }

  /** One report per 5 minutes from 08:00 local on {@code day}, with the given statuses. */
  void heartbeats(LocalDate day, String... statuses) throws IOException {
    Instant t = at(day, "08:00");
    for (String s : statuses) {
      heartbeat(t, s);
      t = t.plusSeconds(300);
    }
  }

  /** Stages every report written so far, at the clock's time. */
  void stage() throws IOException {
    new Ingester(config, store, clock).catchup(CatchupOptions.FULL);
  }

  Rollover rollover() {
    return new Rollover(config, store, clock);
  }

  Rollover rollover(Rollover.Faults faults) {
    return new Rollover(config, store, clock, faults);
  }

  /** Closes the store and opens it again: what survives is on disk. */
  void reopen() {
    store.close();
    store = StagingStore.open(config);
  }

  Path flatParquet(LocalDate day) {
    return config.parquetDir().resolve("ops_atomic_" + day.toString().replace("-", "") + ".parquet");
  }

  Path summary(LocalDate day) {
    return config.summaryDir().resolve("parquet_export_summary_" + day.toString().replace("-", "") + ".md");
  }

  List<ExportRecord> ledger() {
    return store.exports(1000);
  }

  ExportRecord ledger(LocalDate day) {
    return ledger().stream().filter(e -> e.day().equals(day)).findFirst().orElse(null);
  }

  StoreStats stats() {
    return store.stats(LocalDate.ofInstant(clock.instant(), config.zone()));
  }

  long stagedRows() {
    return stats().rowsTotal();
  }

  /** Rows of a one-column query on a DuckDB of the test's own, the file under test read as any reader would. */
  static List<Object> column(String sql) {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("SET TimeZone = 'UTC'");
      List<Object> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery(sql)) {
        while (rs.next()) {
          out.add(rs.getObject(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new AssertionError("query failed: " + sql, e);
    }
  }

  static void execute(String sql) {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("SET TimeZone = 'UTC'");
      s.execute(sql);
    } catch (SQLException e) {
      throw new AssertionError("statement failed: " + sql, e);
    }
  }

  static String literal(Path p) {
    return "'" + p.toString().replace("'", "''") + "'";
  }

  static long parquetRows(Path file) {
    return ((Number) column("SELECT count(*) FROM read_parquet(" + literal(file) + ")").get(0)).longValue();
  }

  /** The report timestamps in a Parquet file, in file order. */
  static List<Instant> parquetTimestamps(Path file) {
    List<Instant> out = new ArrayList<>();
    for (Object o : column("SELECT \"timestamp\" FROM read_parquet(" + literal(file) + ")")) {
      out.add(((java.time.OffsetDateTime) o).toInstant());
    }
    return out;
  }

  @Override
  public void close() {
    if (store != null) {
      store.close();
    }
  }

  /** The report of {@code status}: the database fails for error, the API for warn. */
  private static String report(Instant t, String status) {
    String database = status.equals("error") ? ReportText.ERROR + " Database not responding: Command failed"
        : ReportText.OK + " Database file exists";
    String api = status.equals("warn") ? ReportText.WARN + " Endpoint not responding"
        : ReportText.OK + " Endpoint responding";
    return ReportText.of(t, ReportText.status(status), 68, ReportText.OK + " Redis responding", database, api,
        ReportText.AGENTS_LOADED, ReportText.summary(status));
  }
}
