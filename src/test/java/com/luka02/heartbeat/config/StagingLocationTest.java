package com.luka02.heartbeat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-time move of an earlier install's staging database out of the Parquet folder, on real DuckDB files. */
class StagingLocationTest {
  @TempDir Path root;
  private Path legacy;
  private Path current;

  @BeforeEach
  void paths() {
    legacy = root.resolve(ConfigLoader.LEGACY_STAGING_DB);
    current = root.resolve(ConfigLoader.DEFAULT_STAGING_DB);
  }

  @Test
  void anEarlierInstallsDatabase_movesWithItsWal_leavingOnlyParquetBehind() throws Exception {
    writeLegacyStoreWithWal(3);
    Files.writeString(legacy.resolveSibling("agent.json"), "{\"pid\": 999999}");
    Files.writeString(legacy.resolveSibling("ops_atomic_20251028.parquet"), "a day file");
    assertTrue(Files.exists(wal(legacy)), "the rows are in the WAL only, as after a crash");

    Config c = ConfigLoader.load(root, null);

    assertEquals(current, c.stagingDb());
    assertEquals(3, rows(current), "the rows that were only in the WAL came along");
    try (var left = Files.list(legacy.getParent())) {
      assertEquals(java.util.List.of("ops_atomic_20251028.parquet"),
          left.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void aMoveInterruptedBetweenTheDatabaseAndItsWal_isFinishedAtTheNextStart() throws Exception {
    writeLegacyStoreWithWal(2);

    assertThrows(IllegalStateException.class, () -> StagingLocation.settle(current, legacy, () -> {
      throw new IllegalStateException("the power went out");
    }));
    assertTrue(Files.exists(current) && Files.exists(wal(legacy)) && !Files.exists(wal(current)),
        "the crash left the database moved and its WAL behind");

    Config c = ConfigLoader.load(root, null);

    assertEquals(current, c.stagingDb());
    assertFalse(Files.exists(wal(legacy)));
    assertEquals(2, rows(current));
  }

  @Test
  void whileAnAgentHoldsTheOldPlace_itKeepsWorkingThere() throws Exception {
    writeLegacyStoreWithWal(1);
    try (FileChannel ch = FileChannel.open(legacy.resolveSibling("agent.lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE); FileLock held = ch.lock()) {
      Config c = ConfigLoader.load(root, null);

      assertEquals(legacy, c.stagingDb(), "commands reach the running agent through its agent.json");
      assertEquals(legacy.resolveSibling("agent.json"), c.agentFile());
      assertFalse(Files.exists(current));
    }
    assertEquals(current, ConfigLoader.load(root, null).stagingDb(), "moved once the agent let go");
  }

  @Test
  void twoDatabases_areRefusedNamingBoth() throws Exception {
    writeLegacyStoreWithWal(1);
    Files.createDirectories(current.getParent());
    Files.writeString(current, "a newer database");

    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(root, null));
    assertTrue(e.getMessage().contains(current.toString()) && e.getMessage().contains(legacy.toString()), e.getMessage());
  }

  @Test
  void aConfiguredStagingDb_isLeftWhereItIs() throws Exception {
    writeLegacyStoreWithWal(1);
    Path cfg = Files.writeString(root.resolve("config.json"), "{\"stagingDb\": \"g/analytics/staging.duckdb\"}");

    assertEquals(legacy, ConfigLoader.load(root, cfg).stagingDb());
    assertTrue(Files.exists(legacy) && !Files.exists(current));
  }

  /** A store whose rows are only in its WAL, as a crash leaves it: written by a JVM that halts after the commit. */
  private void writeLegacyStoreWithWal(int rows) throws Exception {
    Files.createDirectories(legacy.getParent());
    Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx128m",
        "-cp", System.getProperty("java.class.path"), CrashAfterCommit.class.getName(), legacy.toString(),
        String.valueOf(rows)).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the writer finished");
    assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
  }

  /** Commits rows, then stops the JVM without DuckDB's shutdown checkpoint. */
  public static final class CrashAfterCommit {
    public static void main(String[] args) throws SQLException {
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + args[0]); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE heartbeats (n INTEGER)");
        s.execute("INSERT INTO heartbeats SELECT range FROM range(" + args[1] + ")");
        Runtime.getRuntime().halt(0);
      }
    }
  }

  private static long rows(Path db) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
         Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM heartbeats")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Path wal(Path db) {
    return db.resolveSibling(db.getFileName() + ".wal");
  }
}
