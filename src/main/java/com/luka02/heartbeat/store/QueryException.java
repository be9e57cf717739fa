package com.luka02.heartbeat.store;

/** A query the database refused or failed to run; the message is DuckDB's, for the user. */
public final class QueryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public QueryException(String message, Throwable cause) {
    super(message, cause);
  }
}
