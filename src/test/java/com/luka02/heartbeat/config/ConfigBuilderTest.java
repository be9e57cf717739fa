package com.luka02.heartbeat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A config is built by naming each setting: no two settings of one type can trade places. */
class ConfigBuilderTest {
  private static final Path ROOT = Path.of("/r");

  /** Every setting set, each to a value no other setting of its type has. */
  private static Config.Builder full() {
    return Config.builder(ROOT)
        .reportsDir(ROOT.resolve("reports")).stagingDb(ROOT.resolve("db")).parquetDir(ROOT.resolve("parquet"))
        .summaryDir(ROOT.resolve("summaries")).logDir(ROOT.resolve("logs"))
        .zone(ZoneId.of("Asia/Bangkok")).rolloverTime(LocalTime.of(3, 15))
        .retentionDays(7).maxFileBytes(4096).port(9000).queryMaxRows(11)
        .settle(Duration.ofMillis(1)).incompleteGrace(Duration.ofMillis(2)).reconcileInterval(Duration.ofSeconds(3))
        .cadence(Duration.ofSeconds(4)).queryTimeout(Duration.ofSeconds(5))
        .layout(Config.ParquetLayout.HIVE).host("mac-a").apiTokenFile(ROOT.resolve("token"))
        .redaction(Redaction.of(false, List.of()))
        .alerting(new Config.Alerting(2, false, null, Duration.ofSeconds(6)))
        .sqlLimits(new Config.SqlLimits(256, 1, 3, 8))
        .lake(new Config.Lake(true, null, Duration.ofSeconds(7)));
  }

  @Test
  void eachSettingLandsInTheComponentOfItsName() {
    Config c = full().build();

    assertEquals(List.of(ROOT, ROOT.resolve("reports"), ROOT.resolve("db"), ROOT.resolve("parquet"),
            ROOT.resolve("summaries"), ROOT.resolve("logs"), ROOT.resolve("token")),
        List.of(c.root(), c.reportsDir(), c.stagingDb(), c.parquetDir(), c.summaryDir(), c.logDir(), c.apiTokenFile()));
    assertEquals(List.of(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofSeconds(3), Duration.ofSeconds(4),
            Duration.ofSeconds(5)),
        List.of(c.settle(), c.incompleteGrace(), c.reconcileInterval(), c.cadence(), c.queryTimeout()));
    assertEquals(List.of(7, 4096L, 9000, 11), List.of(c.retentionDays(), c.maxFileBytes(), c.port(), c.queryMaxRows()));
    assertEquals(List.of(ZoneId.of("Asia/Bangkok"), LocalTime.of(3, 15), Config.ParquetLayout.HIVE, "mac-a"),
        List.of(c.zone(), c.rolloverTime(), c.layout(), c.host()));
    assertEquals(new Config.SqlLimits(256, 1, 3, 8), c.sqlLimits());
    assertEquals(Duration.ofSeconds(6), c.alerting().checkInterval());
    assertEquals(Duration.ofSeconds(7), c.lake().onExportTimeout());
  }

  @Test
  void aSettingLeftOut_isNamed() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> full().cadence(null).build());
    assertEquals("Config.Builder: cadence was not set", e.getMessage());
  }

  @Test
  void theTokenFileMayBeLeftOut() {
    assertNull(full().apiTokenFile(null).build().apiTokenFile());
  }
}
