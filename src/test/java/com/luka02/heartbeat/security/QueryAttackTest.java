package com.luka02.heartbeat.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The red team's query attacks, each as it was reproduced, and their generated variations: no
 * statement sent to {@code /query} may change a file under the root or anything in the store.
 */
@Timeout(120)
class QueryAttackTest {
  /** Override with -Dattack.seed=N to explore; a failure names the seed and the statement. */
  private static final long SEED = Long.getLong("attack.seed", 20261127L);
  private static final int GENERATED = Integer.getInteger("attack.count", 250);

  @TempDir Path root;
  private QueryTarget target;
  private Map<String, String> filesBefore;
  private String storeBefore;

  @BeforeEach
  void start() throws Exception {
    target = new QueryTarget(root, "");
    filesBefore = target.files();
    storeBefore = target.storePrint();
  }

  @AfterEach
  void stop() {
    target.close();
  }

  private void assertNothingChanged(String after) throws Exception {
    assertEquals(filesBefore, target.files(), "files changed after: " + after);
    assertEquals(storeBefore, target.storePrint(), "the store changed after: " + after);
  }

  private void assertRefused(String sql, String why) throws Exception {
    HttpResponse<String> res = target.query(sql);
    assertEquals(400, res.statusCode(), sql + " -> " + res.body());
    assertTrue(res.body().contains(why), sql + " -> " + res.body());
    assertNothingChanged(sql);
  }

  @Test
  void explainAnalyseCopyOverTheStoreIsRefused() throws Exception {
    assertRefused("EXPLAIN ANALYSE COPY (SELECT 1 AS a) TO '" + target.store() + "' (FORMAT csv)", "EXPLAIN");
  }

  @Test
  void explainAnalyseCopyOverAParquetDayIsRefused() throws Exception {
    assertRefused("EXPLAIN ANALYSE COPY (SELECT 1 AS a) TO '" + target.dayFile(QueryTarget.DAY1)
        + "' (FORMAT parquet)", "EXPLAIN");
  }

  @Test
  void explainFormatJsonAnalyzeCopyOfAForgedReportIsRefused() throws Exception {
    assertRefused("EXPLAIN (FORMAT json, ANALYZE) COPY (SELECT '**Timestamp:** 2026-11-22T10:00:00Z' AS a) TO '"
        + target.config.reportsDir().resolve("heartbeat_2026-11-22_10-00-00.md")
        + "' (FORMAT csv, HEADER false, QUOTE '')", "EXPLAIN");
  }

  @Test
  void aCarriageReturnEndingACommentHidesNoStatement() throws Exception {
    assertRefused("SELECT 1 --\r; DROP TABLE heartbeats; COMMIT", "expected a read-only statement");
  }

  @Test
  void anEscapeStringHidesNoStatement() throws Exception {
    assertRefused("SELECT E'\\'';DROP TABLE heartbeats; COMMIT", "expected a read-only statement");
  }

  @Test
  void checkpointAsATableFunctionIsRefused() throws Exception {
    assertRefused("SELECT * FROM checkpoint()", "checkpoint()");
  }

  @ParameterizedTest
  @ValueSource(strings = {"force_checkpoint", "query", "enable_logging", "read_duckdb"})
  void tableFunctionsThatWriteOrHideSqlAreRefusedByName(String name) throws Exception {
    assertRefused("SELECT * FROM " + name + "('x')", name + "()");
  }

  @Test
  void twoSelectsAreTwoStatements() throws Exception {
    assertRefused("SELECT 1; SELECT 2", "expected one statement, found 2");
  }

  @Test
  void theReportsFolderCannotBeRead() throws Exception {
    assertRefused("SELECT * FROM read_text('" + target.config.reportsDir() + "/*.md')", "may read files only under");
  }

  @Test
  void aReadThatPassesTheGateStillChangesNothing() throws Exception {
    HttpResponse<String> res = target.query("SELECT count(*) AS n FROM read_parquet('"
        + target.config.parquetDir() + "/*.parquet')");

    assertEquals(200, res.statusCode(), res.body());
    assertTrue(res.body().contains("\"n\":2"), res.body());
    assertNothingChanged("a read of the archive");
  }

  /**
   * The property: of {@value #GENERATED} statements drawn from every statement type and disguise,
   * none is answered 200 unless it is a plain read, and none changes a file or the store. A seeded
   * {@link java.util.Random} rather than a property library: the attacks are a fixed grammar, one
   * agent serves them all, and a failure is reproduced by its seed and statement alone.
   */
  @Test
  void noGeneratedStatementWritesAnything() throws Exception {
    List<String> attacks = AttackStatements.generate(SEED, GENERATED, AttackStatements.at(target));
    int refused = 0;
    for (String sql : attacks) {
      HttpResponse<String> res = target.query(sql);
      String context = "seed " + SEED + ": " + sql.replace("\r", "\\r").replace("\n", "\\n") + " -> " + res.body();
      assertTrue(res.statusCode() == 200 || res.statusCode() == 400, context);
      refused += res.statusCode() == 400 ? 1 : 0;
      assertEquals(filesBefore, target.files(), "files changed after " + context);
    }
    assertEquals(storeBefore, target.storePrint(), "the store changed (seed " + SEED + ")");
    assertEquals(attacks.size(), refused, "every generated statement holds a write or a hidden one");
  }

  @Test
  void aWriteUnderEveryExplainSpellingIsRefused() throws Exception {
    for (String explain : AttackStatements.EXPLAINS) {
      String sql = explain + AttackStatements.at(target).apply("COPY (SELECT 1 AS a) TO '%day' (FORMAT parquet)");
      HttpResponse<String> res = target.query(sql);
      assertEquals(400, res.statusCode(), sql + " -> " + res.body());
    }
    assertNothingChanged("every EXPLAIN");
  }
}
