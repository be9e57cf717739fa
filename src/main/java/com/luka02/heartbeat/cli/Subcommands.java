package com.luka02.heartbeat.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * The commands of {@link Main}, registered lazily: picocli builds a model of every command it is given,
 * by reflection, and creating a command runs its class's static set-up. A {@code query} typed at a
 * prompt should pay for its own command only.
 */
final class Subcommands {
  private static final Map<String, Supplier<Object>> ALL = new LinkedHashMap<>();

  static {
    ALL.put("run", RunCommand::new);
    ALL.put("catchup", CatchupCommand::new);
    ALL.put("query", QueryCommand::new);
    ALL.put("rollover", RolloverCommand::new);
    ALL.put("recover", RecoverCommand::new);
    ALL.put("status", StatusCommand::new);
    ALL.put("init", InitCommand::new);
    ALL.put("check-config", CheckConfigCommand::new);
  }

  private Subcommands() {}

  /** Adds the command {@code args} names, or every command (and {@code help}) when it names none. */
  static void register(CommandLine cli, String[] args) {
    String named = named(args);
    for (Map.Entry<String, Supplier<Object>> e : ALL.entrySet()) {
      if (named == null || named.equals(e.getKey())) {
        cli.addSubcommand(e.getKey(), e.getValue().get());
      }
    }
    if (named == null) {
      cli.addSubcommand("help", new CommandLine.HelpCommand());
    }
  }

  /** The first word that is not an option or an option's value, if it is a command's name; else null. */
  static String named(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--root") || a.equals("--config")) {
        i++; // its value, which may look like anything
      } else if (!a.startsWith("-")) {
        return ALL.containsKey(a) ? a : null;
      } else if (a.equals("--")) {
        return null;
      }
    }
    return null;
  }
}
