package com.luka02.heartbeat.cli;

import com.luka02.heartbeat.agent.Backend;
import com.luka02.heartbeat.export.DayResult;
import com.luka02.heartbeat.export.RolloverReport;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "rollover", mixinStandardHelpOptions = true,
    description = {
        "Exports due days to verified Snappy Parquet files with a markdown summary each.",
        "Without --date: every finished day that gained or changed rows since its last export."})
final class RolloverCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "Export this day, whatever the ledger says.")
  LocalDate date;

  @Option(names = "--dry-run", description = "Print what would be exported; write nothing.")
  boolean dryRun;

  @Override
  public Integer call() {
    try (Backend backend = main.backend(false)) {
      RolloverReport report = backend.rollover(date, dryRun);
      if (report.days().isEmpty()) {
        System.out.println("nothing to export");
      }
      for (DayResult d : report.days()) {
        System.out.println(dryRun ? "would export " + d.day() + ": " + d.rows() + " staged rows" : d.describe());
      }
      return report.ok() ? 0 : Main.FAILED;
    }
  }
}
