package com.luka02.heartbeat.cli;

import com.luka02.heartbeat.agent.Backend;
import com.luka02.heartbeat.ingest.CatchupOptions;
import com.luka02.heartbeat.ingest.CatchupResult;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "catchup", mixinStandardHelpOptions = true,
    description = {
        "Walks the reports tree and stages what is new or changed, without duplicates.",
        "Unchanged files are skipped without being read. Goes through the running agent if there is one."})
final class CatchupCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Option(names = "--since", paramLabel = "YYYY-MM-DD",
      description = "Only reports of this day or later (by file name, else modification time).")
  LocalDate since;

  @Option(names = "--reparse", description = "Read and parse every file again, replacing rows (after a parser upgrade) and retrying quarantined files.")
  boolean reparse;

  @Option(names = "--dry-run", description = "Count what would be staged; write nothing.")
  boolean dryRun;

  @Override
  public Integer call() {
    InitCommand.requireReportsFolder(main.config());
    try (Backend backend = main.backend(false)) {
      CatchupResult r = backend.catchup(new CatchupOptions(since, reparse, dryRun));
      System.out.println(r.describe());
      return 0;
    }
  }
}
