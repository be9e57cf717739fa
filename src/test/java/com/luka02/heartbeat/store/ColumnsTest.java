package com.luka02.heartbeat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The column list is written once, in schema.sql; what Java derives from it is what DuckDB built. */
class ColumnsTest {
  @TempDir Path root;

  @Test
  void derivedColumnsAreTheTableDuckDbBuiltWithoutTheBookkeepingColumn() {
    String declared = String.join(", ", Columns.HEARTBEATS.stream()
        .map(c -> "NULL::" + c.type() + " AS \"" + c.name() + "\"").toList());
    try (StagingStore store = StagingStore.open(root.resolve("staging.duckdb"), ZoneId.of("UTC"))) {
      List<List<Object>> built = new ArrayList<>(nameAndType(store, "DESCRIBE heartbeats"));

      assertEquals(List.of(Columns.CHANGE_SEQ, "BIGINT"), built.remove(built.size() - 1));
      assertEquals(built, nameAndType(store, "DESCRIBE SELECT " + declared));
    }
    assertEquals(16, Columns.HEARTBEATS.size());
  }

  private static List<List<Object>> nameAndType(StagingStore store, String describe) {
    return store.query(describe, 100).rows().stream().map(r -> r.subList(0, 2)).toList();
  }

  @Test
  void theOldExportersTenColumnsComeFirst() {
    assertEquals(StagingStore.LEGACY_COLUMNS, StagingStore.COLUMNS.subList(0, StagingStore.LEGACY_COLUMNS.size()));
  }

  @Test
  void csvColumnsAreTheTableColumnsReadAsTextThenSizeAndMtime() {
    String csv = RowCsv.readCsvColumns();

    assertEquals("{'filename': 'VARCHAR', 'report_type': 'VARCHAR', 'timestamp': 'TIMESTAMPTZ', 'status': 'VARCHAR', "
        + "'duration_ms': 'INTEGER', 'redis_status': 'VARCHAR', 'database_status': 'VARCHAR', 'api_status': 'VARCHAR', "
        + "'launchagent_optimizer': 'VARCHAR', 'launchagent_digest': 'VARCHAR', 'checks': 'VARCHAR', "
        + "'summary': 'VARCHAR', 'source_path': 'VARCHAR', 'content_hash': 'VARCHAR', 'report_day': 'DATE', "
        + "'ingested_at': 'TIMESTAMPTZ', 'size': 'BIGINT', 'mtime_ms': 'BIGINT'}", csv);
  }

  @Test
  void aSchemaWithoutTheHeartbeatsTableIsRefusedByName() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Columns.heartbeats("CREATE TABLE IF NOT EXISTS other (\n  a VARCHAR\n);\n"));

    assertEquals("schema.sql: expected 'CREATE TABLE IF NOT EXISTS heartbeats (' ... '\\n);'", e.getMessage());
  }
}
