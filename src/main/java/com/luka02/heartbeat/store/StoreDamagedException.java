package com.luka02.heartbeat.store;

import java.nio.file.Path;

/** The staging database cannot be read as a DuckDB database; the message says what DuckDB found and what to do next. */
public final class StoreDamagedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What DuckDB says about files it cannot read, at open or at the first read of a damaged block. */
  private static final String[] SIGNS = {
      "not a valid DuckDB database file", "Could not read enough bytes", "Corrupt", "replaying WAL",
      "Serialization Error", "INTERNAL Error"};

  StoreDamagedException(Path file, String cause, Throwable e) {
    super("the staging database " + file + " is damaged: " + firstLine(cause)
        + "\nNothing was changed. Next step: stop anything that starts the agent, then run"
        + " `heartbeat-ingester --root <root> recover`: it moves the damaged file (and its .wal) aside,"
        + " never deleting them, and rebuilds the store from the reports and the Parquet archive.", e);
  }

  /** True when a DuckDB error message says a file is damaged, rather than locked, missing or unreadable by permission. */
  public static boolean isDamage(String message) {
    if (message == null) {
      return false;
    }
    for (String sign : SIGNS) {
      if (message.contains(sign)) {
        return true;
      }
    }
    return false;
  }

  private static String firstLine(String s) {
    String line = String.valueOf(s).strip().lines().findFirst().orElse("");
    return line.length() > 400 ? line.substring(0, 400) + "\u2026" : line;
  }
}
