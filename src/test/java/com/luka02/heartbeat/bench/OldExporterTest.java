package com.luka02.heartbeat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.luka02.heartbeat.store.StagingStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OldExporterTest {
  private static final Corpus.Spec SPEC = new Corpus.Spec(LocalDate.of(2025, 3, 1), 2, 7);
  @TempDir static Path dir;
  static Corpus.Stats stats;
  static Path parquet;

  @BeforeAll
  static void export() throws Exception {
    Path root = dir.resolve("root");
    stats = Corpus.write(root, SPEC);
    parquet = dir.resolve("out/all.parquet");
    java.nio.file.Files.createDirectories(parquet.getParent());
    OldExporter.export(root, parquet);
  }

  private static List<List<String>> rows(String sql) throws Exception {
    List<List<String>> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql.replace("$P", "'" + parquet + "'"))) {
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.add(rs.getString(i));
        }
        out.add(row);
      }
    }
    return out;
  }

  @Test
  void writesEveryHeartbeatFileIncludingCopiesToOneSnappyParquet() throws Exception {
    assertEquals(List.of(List.of(Long.toString(stats.heartbeatFiles()))), rows("SELECT count(*) FROM read_parquet($P)"));
    assertEquals(List.of(List.of("SNAPPY")), rows("SELECT DISTINCT compression FROM parquet_metadata($P)"));
  }

  @Test
  void keepsTheTenLegacyColumnsInOrder() throws Exception {
    List<String> columns = rows("DESCRIBE SELECT * FROM read_parquet($P)").stream().map(r -> r.get(0)).toList();
    assertEquals(StagingStore.LEGACY_COLUMNS, columns);
  }

  @Test
  void recordsEveryFailedDatabaseCheckAsUnknownLikeTheOriginal() throws Exception {
    Map<String, Long> expected = new LinkedHashMap<>();
    for (int i = 0; i < SPEC.days(); i++) {
      for (Corpus.ReportFile f : Corpus.planDay(SPEC, i)) {
        expected.merge(f.kind().databaseStatus.equals("ok") ? "ok" : "unknown", 1L, Long::sum);
      }
    }
    List<List<String>> found = rows("SELECT database_status, count(*) FROM read_parquet($P) GROUP BY 1 ORDER BY 1");
    assertEquals(List.of(List.of("ok", expected.get("ok").toString()), List.of("unknown", expected.get("unknown").toString())),
        found);
  }
}
