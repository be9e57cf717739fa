package com.luka02.heartbeat.cli;

import com.luka02.heartbeat.config.Config;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "check-config", mixinStandardHelpOptions = true,
    description = {"Validates the config and the root without starting anything, and prints the settings in effect.",
        "Exits 0 when the agent could start, 3 naming the field, value and rule when not."})
final class CheckConfigCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Override
  public Integer call() {
    Config c = main.config();
    InitCommand.requireReportsFolder(c);
    System.out.println("config OK: " + (main.configFile == null ? "defaults" : main.configFile.toAbsolutePath()));
    line("root", c.root());
    line("reports", c.reportsDir() + (Files.isDirectory(c.reportsDir()) ? "" : "  (missing)"));
    line("staging db", c.stagingDb() + (Files.exists(c.stagingDb()) ? "" : "  (created at the first run)"));
    line("parquet", c.parquetDir());
    line("summaries", c.summaryDir());
    line("logs", c.logDir());
    line("zone", c.zone().getId());
    line("rollover", c.rolloverTime() + " " + c.zone().getId() + ", retention "
        + (c.retentionDays() == 0 ? "forever" : c.retentionDays() + " days") + ", layout " + c.layout().name().toLowerCase());
    line("http", "127.0.0.1:" + c.port() + (c.apiTokenFile() == null ? "" : ", token in " + c.apiTokenFile()));
    line("queries", c.queryMaxRows() + " rows, " + c.queryTimeout().toSeconds() + " s at most");
    line("alerts", c.alerting().toString());
    return 0;
  }

  private static void line(String name, Object value) {
    System.out.printf("  %-11s %s%n", name + ":", value);
  }
}
