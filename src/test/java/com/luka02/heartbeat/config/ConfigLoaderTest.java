package com.luka02.heartbeat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  @TempDir Path root;

  @Test
  void defaultPathsResolveAgainstTheRoot() {
    Config c = ConfigLoader.load(root, null);

    assertEquals(List.of(root.resolve("g/reports"), root.resolve("g/state/staging.duckdb"),
        root.resolve("g/analytics"), root.resolve("g/reports/parquet"), root.resolve("g/logs")),
        List.of(c.reportsDir(), c.stagingDb(), c.parquetDir(), c.summaryDir(), c.logDir()));
    assertEquals(root.resolve("g/state/agent.json"), c.agentFile());
  }

  @Test
  void defaultSettingsAreTheDocumentedOnes() {
    Config c = ConfigLoader.load(root, null);

    assertEquals(List.of(LocalTime.of(2, 30), 30, 1_048_576L, Duration.ofMillis(200), Duration.ofSeconds(10),
        Duration.ofMinutes(5), Duration.ofMinutes(5), 8787, Config.ParquetLayout.FLAT),
        List.of(c.rolloverTime(), c.retentionDays(), c.maxFileBytes(), c.settle(), c.incompleteGrace(),
            c.reconcileInterval(), c.cadence(), c.port(), c.layout()));
  }

  @Test
  void queriesAndDuckDbAreBoundedByDefault() {
    Config c = ConfigLoader.load(root, null);

    assertEquals(new Config.SqlLimits(512, 2, 2, 16), c.sqlLimits());
  }

  @Test
  void sqlReachesTheArchiveAndTheStoreFolderButNotTheReports() {
    Config c = ConfigLoader.load(root, null);

    assertEquals(List.of(root.resolve("g/state"), root.resolve("g/analytics")), c.sqlFolders());
  }

  @Test
  void relativePathsInTheFileResolveAgainstTheRoot() throws IOException {
    Config c = ConfigLoader.load(root, config("{\"reportsDir\": \"elsewhere/reports\", \"zone\": \"Asia/Bangkok\"}"));

    assertEquals(root.resolve("elsewhere/reports"), c.reportsDir());
    assertEquals("Asia/Bangkok", c.zone().getId());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "retentionDays | -1           | must be 0 (keep forever) or a positive number of days",
      "zone          | Mars/Olympus | must be a region id such as Asia/Bangkok or UTC",
      "rolloverTime  | 25:99        | must be a local time HH:MM, such as 02:30",
      "maxFileBytes  | 10           | must be at least 1024",
      "port          | 70000        | must be between 0 (any free port) and 65535",
      "parquetLayout | nested       | must be 'flat' or 'hive'",
      "duckdbMemoryLimitMb | 64     | must be between 128 and 1048576 (MB)",
      "duckdbThreads | 0            | must be between 1 and 256",
      "querySlots    | 4            | must be between 1 and 3, so that /health, /metrics and the status page always have an HTTP thread",
      "queryMaxResultMb | 0         | must be between 1 and 1024 (MiB)",
  })
  void invalidValueIsRefusedNamingFieldValueAndRule(String field, String value, String rule) throws IOException {
    boolean number = value.matches("-?\\d+");
    Path file = config("{\"" + field + "\": " + (number ? value : "\"" + value + "\"") + "}");

    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(root, file));

    assertEquals(file + ": invalid " + field + " '" + value + "': " + rule, e.getMessage());
  }

  @Test
  void unknownKeyIsRefusedNamingItAndTheKnownOnes() throws IOException {
    Path file = config("{\"retentionDays\": 7, \"retentionDayz\": 7}");

    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(root, file));

    assertTrue(e.getMessage().startsWith(file + ":1:22: unknown field 'retentionDayz' (did you mean 'retentionDays'?); known fields are "), e.getMessage());
    assertTrue(e.getMessage().contains("retentionDays"), e.getMessage());
  }

  @Test
  void wrongTypeIsRefusedNamingTheField() throws IOException {
    Path file = config("{\"retentionDays\": \"thirty\"}");

    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(root, file));

    assertEquals(file + ":1:19: field 'retentionDays' has the wrong type: expected a whole number, found string \"thirty\"",
        e.getMessage());
  }

  @Test
  void nullDocumentIsRefused() throws IOException {
    Path file = config("null");

    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(root, file));

    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
  }

  private Path config(String json) throws IOException {
    return Files.writeString(root.resolve("config.json"), json);
  }
}
