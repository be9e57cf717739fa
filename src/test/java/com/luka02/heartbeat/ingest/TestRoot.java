package com.luka02.heartbeat.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.store.StagingStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** A root folder with its config, a real DuckDB staging file and an ingester on a fixed clock. */
final class TestRoot implements AutoCloseable {
  /** After every real report and sample, so that none is "in the future". */
  static final Instant NOW = Instant.parse("2026-03-03T00:00:00Z");

  final Config config;
  final StagingStore store;
  final Ingester ingester;

  private TestRoot(Config config) {
    this.config = config;
    this.store = StagingStore.open(config);
    this.ingester = new Ingester(config, store, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  static TestRoot open(Path root) {
    return new TestRoot(ConfigLoader.load(root, null));
  }

  static TestRoot open(Path root, String configJson) throws IOException {
    Path file = Files.writeString(root.resolve("config.json"), configJson, UTF_8);
    return new TestRoot(ConfigLoader.load(root, file));
  }

  /** Where the monitor writes: {@code g/reports/ops_atomic}. */
  Path opsAtomic() {
    return config.reportsDir().resolve("ops_atomic");
  }

  CatchupResult catchup() throws IOException {
    return ingester.catchup(CatchupOptions.FULL);
  }

  CatchupResult catchup(CatchupOptions options) throws IOException {
    return ingester.catchup(options);
  }

  List<List<Object>> rows(String sql) {
    return store.query(sql, 1000).rows();
  }

  Object value(String sql) {
    List<List<Object>> rows = rows(sql);
    if (rows.size() != 1 || rows.get(0).size() != 1) {
      throw new IllegalStateException("expected one value from " + sql + ", found " + rows);
    }
    return rows.get(0).get(0);
  }

  long count(String table) {
    return ((Number) value("SELECT count(*) FROM " + table)).longValue();
  }

  /** added, updated, unchanged, quarantined: what most tests assert about a catch-up. */
  static List<Long> counts(CatchupResult r) {
    return List.of(r.added(), r.updated(), r.unchanged(), r.quarantined());
  }

  @Override
  public void close() {
    store.close();
  }
}
