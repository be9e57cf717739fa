package com.luka02.heartbeat.security;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.luka02.heartbeat.store.ReadOnlySql;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The same attacks at the gate alone, many more than HTTP can carry in a test's time: every write
 * under every EXPLAIN spelling, and thousands of generated disguises. QueryAttackTest proves over
 * the real query path that what the gate refuses changes nothing; this proves the gate refuses it.
 */
class GateAttackTest {
  private static final long SEED = Long.getLong("attack.seed", 20261127L);
  private static final UnaryOperator<String> AIM = AttackStatements.at("/r/g/analytics/staging.duckdb",
      "/r/g/analytics/ops_atomic_20261120.parquet", "/r/g/reports", "/r/g/analytics");

  @Test
  void everyWriteUnderEveryExplainSpellingIsRefused() throws Exception {
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
      for (String explain : AttackStatements.EXPLAINS) {
        for (String write : AttackStatements.WRITES) {
          String sql = explain + AIM.apply(write);
          assertNotNull(ReadOnlySql.rejection(duck, sql), sql);
        }
      }
    }
  }

  @Test
  void everyWriteBehindEveryPrefixAndSuffixIsRefused() throws Exception {
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
      for (String prefix : AttackStatements.PREFIXES) {
        for (String write : AttackStatements.WRITES) {
          for (String suffix : AttackStatements.SUFFIXES) {
            String sql = prefix + AIM.apply(write) + suffix;
            assertNotNull(ReadOnlySql.rejection(duck, sql), sql.replace("\r", "\\r"));
          }
        }
      }
    }
  }

  @Test
  void thousandsOfGeneratedStatementsAreRefused() throws Exception {
    List<String> attacks = AttackStatements.generate(SEED, 5_000, AIM);
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
      for (String sql : attacks) {
        assertNotNull(ReadOnlySql.rejection(duck, sql), "seed " + SEED + ": " + sql.replace("\r", "\\r"));
      }
    }
  }
}
