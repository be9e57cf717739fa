package com.luka02.heartbeat.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Heartbeat reports in the monitor's real format, for tests. */
public final class TestReports {
  private static final DateTimeFormatter NAME =
      DateTimeFormatter.ofPattern("'heartbeat_'yyyy-MM-dd_HH-mm-ss'.md'").withZone(ZoneOffset.UTC);

  private TestReports() {}

  /** The file name the monitor gives a report taken at {@code t}. */
  public static String name(Instant t) {
    return NAME.format(t);
  }

  /** A healthy report (status {@code ok}) taken at {@code t}. */
  public static String healthy(Instant t) {
    return report(t, "\u2705 HEALTHY", "\u2705 Redis responding", "\u2705 Database file exists");
  }

  /** A critical report (status {@code error}) taken at {@code t}: the database is missing. */
  public static String critical(Instant t) {
    return report(t, "\u274C CRITICAL", "\u2705 Redis responding", "\u274C Database file not found");
  }

  public static String report(Instant t, String status, String redis, String database) {
    return ReportText.of(t, status, 71, redis, database, "\u2705 Endpoint responding",
        "- **com.02luka.optimizer:** \u2705 LaunchAgent loaded\n- **com.02luka.digest:** \u2705 LaunchAgent loaded\n",
        "\uD83D\uDFE2 **ALL SYSTEMS OPERATIONAL**");
  }

  /** Writes a healthy report for {@code t} into {@code dir} under its real name, in place. */
  public static Path write(Path dir, Instant t) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(name(t));
    Files.writeString(file, healthy(t), StandardCharsets.UTF_8);
    return file;
  }
}
