package com.luka02.heartbeat.cli;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.OwnerOnly;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "init", mixinStandardHelpOptions = true,
    description = {"Creates the reports, analytics, summary and log folders of the root (owner-only, 0700).",
        "`run` and `catchup` refuse a root without a reports folder, which is most often a mistyped --root."})
final class InitCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Override
  public Integer call() throws Exception {
    Config c = main.config();
    for (Path dir : List.of(c.reportsDir(), c.stagingDb().getParent(), c.parquetDir(), c.summaryDir(), c.logDir())) {
      boolean existed = Files.isDirectory(dir);
      OwnerOnly.createDirectories(dir);
      System.out.println((existed ? "exists   " : "created  ") + dir);
    }
    return 0;
  }

  /** Refuses a root whose reports folder is missing, naming the path and the way to create it. */
  static void requireReportsFolder(Config c) {
    if (!Files.isDirectory(c.reportsDir())) {
      throw new com.luka02.heartbeat.config.ConfigException("no reports folder at " + c.reportsDir()
          + ": is --root " + c.root() + " right? `heartbeat-ingester --root " + c.root()
          + " init` creates it");
    }
  }
}
