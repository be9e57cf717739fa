package com.luka02.heartbeat.serve;

import com.luka02.heartbeat.export.RolloverReport;
import com.luka02.heartbeat.ingest.CatchupOptions;
import com.luka02.heartbeat.ingest.CatchupResult;
import com.luka02.heartbeat.store.QueryResult;
import java.time.LocalDate;

/** What the API's client routes ask of the agent: {@code /query}, {@code /status}, {@code /catchup}, {@code /rollover}. */
public interface AgentApi {
  QueryResult query(String sql);

  /** The agent's status, as the client reads it back into its own record. */
  Object status();

  CatchupResult catchup(CatchupOptions options);

  /** Exports what is due, or only {@code date} when given. */
  RolloverReport rollover(LocalDate date, boolean dryRun);
}
