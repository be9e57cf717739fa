package com.luka02.heartbeat.cli;

import com.luka02.heartbeat.agent.AgentInfo;
import com.luka02.heartbeat.agent.AgentRunningException;
import com.luka02.heartbeat.serve.ApiToken;
import com.luka02.heartbeat.agent.Backend;
import com.luka02.heartbeat.agent.HttpBackend;
import com.luka02.heartbeat.agent.LocalBackend;
import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.ConfigException;
import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.store.QueryException;
import com.luka02.heartbeat.store.StoreDamagedException;
import com.luka02.heartbeat.store.StoreInUseException;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The command line: {@code heartbeat-ingester [--root DIR] [--config FILE] COMMAND}. */
@Command(
    name = "heartbeat-ingester",
    mixinStandardHelpOptions = true,
    version = "heartbeat-ingester 0.1.0",
    description = "Stages OPS-Atomic heartbeat reports into DuckDB as they land and rolls them over to Parquet daily.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success",
        "1:the operation failed (the message says why)",
        "2:invalid command line",
        "3:invalid configuration (the message names the field, value and rule)",
        "4:the root is busy: another agent runs, or another process holds the store",
        "5:the staging store is damaged: run `recover` (a supervisor should not restart on this code)"})
public final class Main {
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int CONFIG = 3;
  static final int BUSY = 4;
  static final int DAMAGED = 5;

  @Option(names = "--root", scope = ScopeType.INHERIT, defaultValue = ".", paramLabel = "DIR",
      description = "The root holding g/reports, g/analytics and g/logs (default: the current directory).")
  Path root;

  @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "A JSON config file overriding the layout and settings (see README).")
  Path configFile;

  Config config() {
    return ConfigLoader.load(root, configFile == null ? null : ConfigLoader.existing(configFile));
  }

  /** The running agent when there is one, else the store opened by this process. */
  Backend backend(boolean readOnly) {
    Config c = config();
    AgentInfo agent = AgentInfo.readLive(c.agentFile());
    return agent != null ? new HttpBackend(agent, ApiToken.load(c.apiTokenFile()))
        : new LocalBackend(c, Clock.systemDefaultZone(), readOnly);
  }

  public static void main(String[] args) {
    Relaunch.ifPlainRun(args);
    int code = AgentShortcut.run(args, System.out, System.err);
    if (code == AgentShortcut.NOT_TAKEN) {
      NativeLibraryHome.prepare();
      code = NativeLibraryLoader.execute(args, System.err);
    }
    System.exit(Supervisor.exitCode(code, System.getenv(Supervisor.ENV), System.err));
  }

  /** Runs one command line and returns its exit code. */
  public static int execute(String... args) {
    return execute(null, args);
  }

  /** As {@link #execute(String...)}, with error messages to {@code err} (null: standard error). */
  static int execute(java.io.PrintWriter err, String... args) {
    if (Warmup.begin(args) != null) {
      // A store command sets up its logging now, while the warm-up builds what reading its config
      // needs on the other core, rather than at the config's first log line.
      org.slf4j.LoggerFactory.getILoggerFactory();
    }
    CommandLine cli = new CommandLine(new Main());
    Subcommands.register(cli, args);
    if (err != null) {
      cli.setErr(err);
    }
    cli.registerConverter(java.time.LocalDate.class, CliValues::date);
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("error: " + message(e, cmd.getCommandName()));
      return exitCode(e);
    });
    // One line, like a config error, instead of picocli's message followed by the whole usage.
    cli.setParameterExceptionHandler((e, parsed) -> {
      e.getCommandLine().getErr().println("error: " + e.getMessage() + " (see "
          + e.getCommandLine().getCommandName() + " --help)");
      return USAGE;
    });
    return cli.execute(args);
  }

  /** The exit code for what a command threw, decided by its type alone: messages are for people. */
  static int exitCode(Throwable e) {
    if (e instanceof ConfigException) {
      return CONFIG;
    }
    if (e instanceof StoreDamagedException) {
      return DAMAGED;
    }
    if (e instanceof AgentRunningException || e instanceof StoreInUseException) {
      return BUSY;
    }
    return FAILED;
  }

  static String message(Throwable e, String command) {
    // The agent answers every refused request with a 400, which its client reads as a QueryException.
    if (e instanceof QueryException && "query".equals(command)) {
      return "query failed: " + e.getMessage();
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

}
