package com.luka02.heartbeat.store;

/** Another process holds the staging database's lock; the message names the file and, when DuckDB says, the holder. */
public final class StoreInUseException extends StoreException {
  private static final long serialVersionUID = 1L;

  /** {@code message} is the whole sentence shown to the user. */
  public StoreInUseException(String message, Throwable cause) {
    super(message, cause);
  }
}
