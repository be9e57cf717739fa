package com.luka02.heartbeat.store;

/** A failure of the staging database, with the database file named. */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
