package com.luka02.heartbeat.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.luka02.heartbeat.cli.Main;
import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.export.DayResult;
import com.luka02.heartbeat.export.Rollover;
import com.luka02.heartbeat.ingest.CatchupOptions;
import com.luka02.heartbeat.ingest.Ingester;
import com.luka02.heartbeat.store.DayExport;
import com.luka02.heartbeat.store.ExportRecord;
import com.luka02.heartbeat.store.StagingStore;
import com.luka02.heartbeat.testing.MutableClock;
import com.luka02.heartbeat.fixtures.ReportText;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged store stops start-up with the next step, and {@code recover} rebuilds it from the reports and the archive. */
class RecoverTest {
  private static final LocalDate D1 = LocalDate.of(2026, 3, 2);
  private static final LocalDate D3 = D1.plusDays(2);

  @TempDir Path root;
  private Path cfg;
  private Config config;
  private final MutableClock clock = new MutableClock(D1.plusDays(3).atTime(9, 0).toInstant(java.time.ZoneOffset.UTC));

  @BeforeEach
  void configure() throws Exception {
    cfg = root.resolve("config.json");
    Files.writeString(cfg, "{\"zone\": \"UTC\", \"retentionDays\": 2}");
    config = ConfigLoader.load(root, cfg);
  }

  private Path reports() {
    return config.reportsDir().resolve("ops_atomic");
  }

  private static Instant at(LocalDate day, int hour) {
    return day.atTime(hour, 0).toInstant(java.time.ZoneOffset.UTC);
  }

  /** Three days staged and exported, D1 pruned by retention, two reports deleted since, one D3 report edited after export. */
  private void buildStore() throws Exception {
    for (int d = 0; d < 3; d++) {
      for (int h = 8; h < 11; h++) {
        ReportText.write(reports(), at(D1.plusDays(d), h));
      }
    }
    try (StagingStore store = StagingStore.open(config)) {
      Ingester ingester = new Ingester(config, store, clock);
      ingester.catchup(CatchupOptions.FULL);
      new Rollover(config, store, clock).runDue();
      Files.delete(reports().resolve(ReportText.name(at(D1, 8)))); // D1 pruned: only its file holds it
      Files.delete(reports().resolve(ReportText.name(at(D1.plusDays(1), 9)))); // its row stays staged
      Files.writeString(reports().resolve(ReportText.name(at(D3, 10))), ReportText.critical(at(D3, 10)));
      clock.advance(Duration.ofMinutes(1));
      ingester.catchup(CatchupOptions.FULL);
    }
  }

  /** Every row the store and the archive hold: timestamp, file name, status, checks (lean files hold no content hash). */
  private Set<String> allRows(StagingStore store) {
    Set<String> rows = new TreeSet<>();
    String row = "\"timestamp\"::VARCHAR || ' ' || filename || ' ' || status || ' ' || checks::VARCHAR";
    store.query("SELECT " + row + " FROM heartbeats", 1000).rows()
        .forEach(r -> rows.add((String) r.get(0)));
    for (ExportRecord e : store.exports(100)) {
      store.query("SELECT " + row + " FROM read_parquet('"
          + config.root().resolve(e.file()) + "') WHERE \"timestamp\" NOT IN (SELECT \"timestamp\" FROM heartbeats)", 1000)
          .rows().forEach(r -> rows.add((String) r.get(0)));
    }
    return rows;
  }

  private static Set<String> ledger(StagingStore store) {
    return store.exports(100).stream().map(e -> e.day() + " " + e.rows() + " " + e.file() + " " + e.sha256())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private record Run(int code, String out, String err) {}

  private Run cli(String... command) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      String[] args = Stream.concat(Stream.of("--root", root.toString(), "--config", cfg.toString()), Stream.of(command))
          .toArray(String[]::new);
      int code = Main.execute(args);
      return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private static void zeroBytes(Path file, long at, int n) throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(at);
      f.write(new byte[n]);
    }
  }

  private List<Path> setAside() throws Exception {
    try (Stream<Path> files = Files.list(config.stagingDb().getParent())) {
      return files.filter(p -> p.getFileName().toString().contains(".damaged-")).sorted().toList();
    }
  }

  @Test
  void damagedHeaderStopsStartUpWithTheNextStepAndRecoverBringsEveryRowBack() throws Exception {
    recoverBringsEveryRowBack();
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {
      "\"parquetLayout\": \"hive\", \"host\": \"mac-a\"", "\"parquetProvenance\": true"})
  void recoverReadsTheArchiveOfEveryLakeSetting(String settings) throws Exception {
    Files.writeString(cfg, "{\"zone\": \"UTC\", \"retentionDays\": 2, " + settings + "}");
    config = ConfigLoader.load(root, cfg);
    recoverBringsEveryRowBack();
  }

  private void recoverBringsEveryRowBack() throws Exception {
    buildStore();
    Set<String> rowsBefore;
    Set<String> ledgerBefore;
    List<LocalDate> dueBefore;
    try (StagingStore store = StagingStore.open(config)) {
      rowsBefore = allRows(store);
      ledgerBefore = ledger(store);
      dueBefore = store.daysToExport(D3).stream().map(DayExport::day).toList();
      assertEquals(1L, store.query("SELECT count(*) FROM exports WHERE pruned", 1).rows().get(0).get(0), "D1 is pruned");
    }
    zeroBytes(config.stagingDb(), 0, 8192);
    byte[] damaged = Files.readAllBytes(config.stagingDb());

    Run start = cli("catchup");
    assertEquals(5, start.code(), start.err());
    assertTrue(start.err().contains("is damaged") && start.err().contains("recover"), start.err());

    Run recover = cli("recover");
    assertEquals(0, recover.code(), recover.err());
    assertTrue(recover.out().contains("due again") && recover.out().contains(D3.toString()), recover.out());
    assertArrayEquals(damaged, Files.readAllBytes(setAside().get(0)), "the damaged file is kept as it was");

    try (StagingStore store = StagingStore.open(config)) {
      assertEquals(rowsBefore, allRows(store));
      assertEquals(ledgerBefore, ledger(store));
      assertEquals(dueBefore, store.daysToExport(D3).stream().map(DayExport::day).toList(), "only the edited day is due");
      List<DayResult> exported = new Rollover(config, store, clock).runDue();
      assertEquals(List.of(D3), exported.stream().map(DayResult::day).toList());
      assertEquals(rowsBefore, allRows(store), "after the rollover and retention, still every row");
    }
  }

  @Test
  void damagedWalStopsStartUpWithTheNextStep() throws Exception {
    Path copy = root.resolve("crashed");
    try (StagingStore store = StagingStore.open(config)) {
      ReportText.write(reports(), at(D1, 8));
      new Ingester(config, store, clock).catchup(CatchupOptions.FULL);
      store.checkpoint();
      ReportText.write(reports(), at(D1, 9));
      new Ingester(config, store, clock).catchup(CatchupOptions.FULL);
      // The files as a crash leaves them: the last transaction only in the WAL.
      Files.createDirectories(copy);
      Files.copy(config.stagingDb(), copy.resolve("staging.duckdb"));
      Files.copy(Path.of(config.stagingDb() + ".wal"), copy.resolve("staging.duckdb.wal"));
    }
    Files.copy(copy.resolve("staging.duckdb"), config.stagingDb(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Path wal = Path.of(config.stagingDb() + ".wal");
    Files.copy(copy.resolve("staging.duckdb.wal"), wal, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    zeroBytes(wal, Files.size(wal) / 2, 64);

    Run start = cli("catchup");
    assertEquals(5, start.code(), start.err());
    assertTrue(start.err().contains("WAL") && start.err().contains("recover"), start.err());

    assertEquals(0, cli("recover").code());
    assertEquals(2, setAside().size(), "the database and its WAL, both kept: " + setAside());
    try (StagingStore store = StagingStore.open(config)) {
      assertEquals(2L, store.query("SELECT count(*) FROM heartbeats", 1).rows().get(0).get(0));
    }
  }

  @Test
  void garbageWalDoesNotStopStartUp() throws Exception {
    try (StagingStore store = StagingStore.open(config)) {
      ReportText.write(reports(), at(D1, 8));
      new Ingester(config, store, clock).catchup(CatchupOptions.FULL);
    }
    Files.writeString(Path.of(config.stagingDb() + ".wal"), "not a write-ahead log ".repeat(200));

    Run start = cli("catchup");
    assertEquals(0, start.code(), start.err());
    try (StagingStore store = StagingStore.open(config)) {
      assertEquals(1L, store.query("SELECT count(*) FROM heartbeats", 1).rows().get(0).get(0));
    }
  }

  @Test
  void recoverRefusesAStoreThatReadsAndWhileAnAgentRuns() throws Exception {
    buildStore();
    Run healthy = cli("recover");
    assertEquals(1, healthy.code());
    assertTrue(healthy.err().contains("--force"), healthy.err());
    assertEquals(List.of(), setAside());

    try (AgentLock held = AgentLock.tryAcquire(config.lockFile())) {
      assertEquals(4, cli("recover", "--force").code());
    }
    assertEquals(List.of(), setAside(), "nothing moved while the root was busy");
    assertEquals(0, cli("recover", "--force").code());
    assertEquals(1, setAside().size());
  }
}
