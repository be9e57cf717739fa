package com.luka02.heartbeat.cli;

import com.luka02.heartbeat.io.Json;
import picocli.CommandLine;

/**
 * Loads, on a second core, what a store command will need.
 * <ul>
 *   <li>The model of its command line, which picocli builds from annotations: its classes took 80-100 ms
 *       to load and verify on the command's thread, after logging was set up. A catch-up of the real
 *       reports: median 0.835 s without, 0.805 s with (30 alternating runs, 2026-11-28).
 *   <li>The JSON mapper (0.1-0.2 s of class loading in a fresh JVM) when it runs the agent.
 *   <li>The DuckDB driver's classes, needed once its config is read. A catch-up of nothing new on a
 *       year: median 1.65 s without, 1.50 s with, relaunch included; without the mapper when nothing
 *       reads a config file, 1.12 s against 1.20 s, and {@code rollover --date} 0.70 s against 0.79 s
 *       (medians of 7, 2026-11-28).
 * </ul>
 * A command that talks to a running agent ({@code query}, {@code status}) loads none of them.
 *
 * <p>Nothing here may touch native code. The driver's classes are loaded, not initialised, but for
 * {@code DuckDBDriver} itself: initialising {@code DuckDBNative} loads DuckDB's native library, and a
 * first version that did so here crashed the JVM (exit 134, SIGABRT) when a command exited at once on
 * a config error while the library was still loading (CI, {@code SupervisorTest}); had the load failed
 * on this thread, the command would also have seen only "Could not initialize class", without the
 * cause. Logging is not touched: SLF4J initialised on two threads at once hands one a substitute
 * factory.
 */
final class Warmup {
  /** The driver's classes a store's opening meets first. */
  static final String[] DRIVER_CLASSES = {"org.duckdb.DuckDBDriver", "org.duckdb.DuckDBConnection",
      "org.duckdb.DuckDBNative", "org.duckdb.DuckDBBindings", "org.duckdb.DuckDBPreparedStatement",
      "org.duckdb.DuckDBResultSet", "org.duckdb.DuckDBAppender"};

  private Warmup() {}

  /** Starts the warm-up for the command {@code args} names, if it opens the store; returns its thread, or null. */
  static Thread begin(String[] args) {
    String command = Subcommands.named(args);
    if (command == null || !(command.equals("run") || Relaunch.STORE_COMMANDS.contains(command))) {
      return null;
    }
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    // The mapper serves the agent. A store command never builds it: its summaries read JSON with the
    // streaming parser, and so does its config file when the file is plain (ConfigFile.readPlain), as
    // a file of settings is. The second core it would take is the compiler's and the walk's.
    boolean mapper = command.equals("run");
    Thread t = new Thread(() -> {
      try {
        // The command line's model, built and dropped: picocli's classes loaded, verified and initialised
        // here while the command's thread sets up logging, instead of after it, on that thread.
        Subcommands.register(new CommandLine(new Main()), args);
        if (mapper) {
          Json.mapper();
        }
        // The driver's class is initialised, the others only loaded: its static initialiser, pure Java,
        // registers it with DriverManager and a memory event with Java Flight Recorder, 80 ms of a
        // command's start that no native code is part of.
        Class.forName(DRIVER_CLASSES[0], true, loader);
        for (String name : DRIVER_CLASSES) {
          Class.forName(name, false, loader);
        }
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
