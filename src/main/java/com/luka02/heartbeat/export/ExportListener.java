package com.luka02.heartbeat.export;

import java.nio.file.Path;
import java.time.LocalDate;

/** Told of each day's file once it is verified, renamed into place and in the ledger. */
@FunctionalInterface
public interface ExportListener {
  ExportListener NONE = (day, file) -> {};

  /** Called on the thread that exports: return at once, do any slow work elsewhere. */
  void exported(LocalDate day, Path file);
}
