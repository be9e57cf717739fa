package com.luka02.heartbeat.cli;

import com.luka02.heartbeat.serve.WireJson;
import com.luka02.heartbeat.agent.Backend;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Shows the agent (up or down), rows staged, the last report, quarantine and rollovers.")
final class StatusCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Option(names = "--json", description = "Print JSON instead of text.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    try (Backend backend = main.backend(true)) {
      var status = backend.status();
      System.out.print(json ? WireJson.writePretty(status) + "\n"
          : status.render());
      return 0;
    }
  }
}
