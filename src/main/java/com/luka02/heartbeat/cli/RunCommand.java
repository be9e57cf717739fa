package com.luka02.heartbeat.cli;

import com.luka02.heartbeat.agent.Agent;
import com.luka02.heartbeat.config.Config;
import java.time.Clock;
import java.util.concurrent.Callable;
import sun.misc.Signal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = {
        "Runs the agent in the foreground: catches up, watches the reports tree, stages each report",
        "within a second, rolls days over to Parquet at the configured time, and serves HTTP on 127.0.0.1.",
        "Stops cleanly on SIGTERM or SIGINT. Supervise it with launchd or systemd (see launchd/)."})
final class RunCommand implements Callable<Integer> {
  @ParentCommand Main main;
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--port", paramLabel = "N",
      description = "HTTP port on 127.0.0.1; 0 picks a free one (default: the config's port, 8787).")
  Integer port;

  @Override
  public Integer call() throws Exception {
    CliValues.requirePort(spec, port);
    Config config = main.config();
    InitCommand.requireReportsFolder(config);
    String logWarning = Logging.configureAgent(config.logDir());
    Agent agent = Agent.start(config, Clock.systemDefaultZone(), port == null ? config.port() : port);
    if (logWarning != null) {
      agent.warn(logWarning);
    }
    // Handling TERM and INT ourselves makes a requested stop exit 0, where the JVM's default is 143.
    for (String signal : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(signal), s -> new Thread(agent::close, "stop-on-SIG" + signal).start());
    }
    Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "shutdown"));
    System.out.println("heartbeat-ingester agent: pid " + agent.info().pid() + ", http://127.0.0.1:"
        + agent.port() + "/, root " + config.root());
    agent.awaitStop();
    // Stopped by an Error (out of memory): a non-zero exit makes launchd or systemd start it afresh.
    return agent.failure() == null ? 0 : Main.FAILED;
  }
}
