package com.luka02.heartbeat.cli;

import com.luka02.heartbeat.agent.Recovery;
import com.luka02.heartbeat.export.ArchiveRestore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "recover", mixinStandardHelpOptions = true,
    description = {
        "Rebuilds a damaged staging database: moves it and its .wal aside (renamed, never deleted),",
        "creates a fresh one, stages the reports tree and restores the ledger and the rows that only the",
        "Parquet archive still holds. Refuses while an agent runs, and refuses a store that reads fine."})
final class RecoverCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Option(names = "--force", description = "Rebuild even though the store opens and reads.")
  boolean force;

  @Override
  public Integer call() throws Exception {
    Recovery.Report r = Recovery.run(main.config(), Clock.systemUTC(), force);
    for (Path p : r.setAside()) {
      System.out.println("set aside: " + p);
    }
    System.out.println("reports: " + r.reports().describe());
    ArchiveRestore.Report a = r.archive();
    System.out.println("archive: " + a.days() + " day files recorded in the ledger, " + a.rowsRestored()
        + " rows restored that no report holds any more");
    if (!a.dueAgain().isEmpty()) {
      System.out.println("due again (their reports changed since the file was written): " + a.dueAgain());
    }
    a.skipped().forEach(s -> System.out.println("skipped " + s));
    System.out.println("the store is rebuilt; start the agent again");
    return 0;
  }
}
