package com.luka02.heartbeat.report;

/** A report that cannot become a row; says on which line and what was expected there. */
public final class ReportFormatException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int line;

  public ReportFormatException(int line, String expectation) {
    super(line > 0 ? "line " + line + ": " + expectation : expectation);
    this.line = line;
  }

  /** The 1-based line the problem was found on, or 0 when it concerns the whole file. */
  public int line() {
    return line;
  }
}
