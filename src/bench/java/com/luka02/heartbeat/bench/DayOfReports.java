package com.luka02.heartbeat.bench;

import java.nio.file.Path;
import java.time.LocalDate;

/** One UTC day of the benchmark's corpus (288 reports, the real status mix), for checks outside the benchmark. */
public final class DayOfReports {
  private DayOfReports() {}

  /** Writes {@code day}'s reports and a few non-heartbeat neighbours under {@code root}/g/reports; returns the report count. */
  public static long write(Path root, LocalDate day, long seed) {
    return Corpus.write(root, new Corpus.Spec(day, 1, seed)).reports();
  }
}
