package com.luka02.heartbeat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mistakes a user makes on the command line get one line that says what to do, and the right exit code. */
class OperatorErrorsTest {
  @TempDir Path root;
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    List<String> all = new ArrayList<>(List.of("--root", root.toString()));
    all.addAll(List.of(args));
    return Main.execute(new PrintWriter(err, true), all.toArray(String[]::new));
  }

  private String errLine() {
    List<String> lines = err.toString().lines().toList();
    assertEquals(1, lines.size(), "one line: " + err);
    return lines.get(0);
  }

  @Test
  void catchupOnARootWithoutReports_isRefusedNamingThePath() {
    assertEquals(3, run("catchup"));
    assertTrue(errLine().contains("no reports folder at " + root.resolve("g/reports")), err.toString());
    assertTrue(err.toString().contains("init"), err.toString());
    assertFalse(Files.exists(root.resolve("g/analytics/staging.duckdb")), "nothing is created by a refused run");
  }

  @Test
  void runOnARootWithoutReports_isRefusedNamingThePath() {
    assertEquals(3, run("run", "--port", "0"));
    assertTrue(errLine().contains("no reports folder at " + root.resolve("g/reports")), err.toString());
  }

  @Test
  void init_createsTheFoldersOwnerOnly_andThenCatchupRuns() throws Exception {
    assertEquals(0, run("init"));
    for (String dir : List.of("g", "g/reports", "g/analytics", "g/logs", "g/reports/parquet")) {
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve(dir))), dir);
    }
    assertEquals(0, run("catchup"));
  }

  @Test
  void portOutOfRange_exits2_withOneLine() {
    assertEquals(2, run("run", "--port", "70000"));
    assertTrue(errLine().contains("expected 0 (any free port) to 65535, found 70000"), err.toString());
  }

  @Test
  void impossibleDate_exits2_withOneLine() {
    assertEquals(2, run("rollover", "--date", "2026-13-01"));
    assertTrue(errLine().contains("expected a date as YYYY-MM-DD, found '2026-13-01'"), err.toString());
  }

  @Test
  void rolloverOfADayWithoutReports_isRefusedWithOneLine() throws Exception {
    Files.createDirectories(root.resolve("g/reports"));
    assertEquals(1, run("rollover", "--date", "2026-01-01"));
    assertTrue(errLine().contains("nothing to export for 2026-01-01"), err.toString());
  }

  @Test
  void malformedJsonConfig_namesFileLineAndColumn_withoutJacksonInternals() throws Exception {
    Path config = Files.writeString(root.resolve("config.json"), "{\n  \"port\": 8787,\n}\n");
    assertEquals(3, run("--config", config.toString(), "check-config"));
    String line = errLine();
    assertTrue(line.startsWith("error: " + config + ":3:1: invalid JSON: "), line);
    assertFalse(line.contains("fasterxml") || line.contains("Source") || line.contains("code 125"), line);
  }

  @Test
  void unknownKey_suggestsTheNearestKnownOne() throws Exception {
    Path config = Files.writeString(root.resolve("config.json"), "{\"retentionDay\": 7}");
    assertEquals(3, run("--config", config.toString(), "check-config"));
    assertTrue(errLine().contains("unknown field 'retentionDay' (did you mean 'retentionDays'?)"), err.toString());
  }

  @Test
  void checkConfig_acceptsAGoodRoot_andRefusesABadValue() throws Exception {
    Files.createDirectories(root.resolve("g/reports"));
    assertEquals(0, run("check-config"));
    Path config = Files.writeString(root.resolve("config.json"), "{\"rolloverTime\": \"25:99\"}");
    assertEquals(3, run("--config", config.toString(), "check-config"));
    assertTrue(errLine().contains("invalid rolloverTime '25:99'"), err.toString());
  }
}
