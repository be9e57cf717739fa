package com.luka02.heartbeat.cli;

import com.luka02.heartbeat.io.Json;
import java.util.Set;

/**
 * Loads, on a second core, what a store command will need after parsing its command line and reading
 * its config: the JSON mapper, then the DuckDB driver with its native library. Each costs 0.1-0.2 s of
 * class loading in a fresh JVM, and the command's own thread would meet them one after the other
 * (a catch-up of nothing new on a year: median 1.65 s without, 1.50 s with, relaunch included). A
 * command that talks to a running agent ({@code query}, {@code status}) loads neither. Logging is not
 * touched here: SLF4J initialised on two threads at once hands one of them a substitute factory.
 */
final class Warmup {
  /** The commands that open the store in this process (unless an agent runs). */
  private static final Set<String> STORE_COMMANDS = Set.of("catchup", "rollover", "recover", "run");

  private Warmup() {}

  /** Starts the warm-up for the command {@code args} names, if it opens the store; returns its thread, or null. */
  static Thread begin(String[] args) {
    String command = Subcommands.named(args);
    if (command == null || !STORE_COMMANDS.contains(command)) {
      return null;
    }
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    Thread t = new Thread(() -> {
      try {
        Json.mapper();
        Class.forName("org.duckdb.DuckDBNative", true, loader);
      } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
        // Only a head start: the command loads the same itself and reports any failure.
      }
    }, "warm-up");
    t.setDaemon(true);
    t.setContextClassLoader(loader);
    t.start();
    return t;
  }
}
