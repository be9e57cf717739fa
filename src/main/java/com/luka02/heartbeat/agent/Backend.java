package com.luka02.heartbeat.agent;

import com.luka02.heartbeat.export.RolloverReport;
import com.luka02.heartbeat.ingest.CatchupOptions;
import com.luka02.heartbeat.ingest.CatchupResult;
import com.luka02.heartbeat.store.QueryResult;
import java.time.LocalDate;

/** What the CLI asks of the store: of a running agent over loopback, or of the store opened directly. */
public interface Backend extends AutoCloseable {
  QueryResult query(String sql);

  StatusReport status();

  CatchupResult catchup(CatchupOptions options);

  /** Exports what is due, or only {@code date} when given. */
  RolloverReport rollover(LocalDate date, boolean dryRun);

  @Override
  void close();
}
