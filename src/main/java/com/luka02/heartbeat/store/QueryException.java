package com.luka02.heartbeat.store;

/** A query the database refused or failed to run; the message is for the user, the reason picks the HTTP status. */
public final class QueryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a query got no rows, with the HTTP status that says so. */
  public enum Reason {
    /** Not one read-only statement, or DuckDB refused or failed it. */
    REFUSED(400),
    /** It ran past the time limit. */
    TIMED_OUT(400),
    /** Its answer would be larger than the byte cap. */
    TOO_LARGE(413),
    /** Every query slot is taken. */
    BUSY(429);

    private final int httpStatus;

    Reason(int httpStatus) {
      this.httpStatus = httpStatus;
    }

    public int httpStatus() {
      return httpStatus;
    }
  }

  private final Reason reason;

  public QueryException(String message, Throwable cause) {
    this(Reason.REFUSED, message, cause);
  }

  public QueryException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
