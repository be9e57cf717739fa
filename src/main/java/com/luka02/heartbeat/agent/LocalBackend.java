package com.luka02.heartbeat.agent;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.export.ExportHook;
import com.luka02.heartbeat.export.ExportListener;
import com.luka02.heartbeat.export.Rollover;
import com.luka02.heartbeat.export.RolloverReport;
import com.luka02.heartbeat.ingest.CatchupOptions;
import com.luka02.heartbeat.ingest.CatchupResult;
import com.luka02.heartbeat.ingest.Ingester;
import com.luka02.heartbeat.store.QueryResult;
import com.luka02.heartbeat.store.StagingStore;
import com.luka02.heartbeat.store.UserQueries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.LocalDate;

/** The store opened by this process, for when no agent runs. Queries alone open it read-only. */
public final class LocalBackend implements Backend {
  private final Config config;
  private final Clock clock;
  private final boolean readOnly;
  private StagingStore store;
  private ExportHook exportHook;
  private UserQueries queries;

  public LocalBackend(Config config, Clock clock, boolean readOnly) {
    this.config = config;
    this.clock = clock;
    this.readOnly = readOnly;
  }

  private StagingStore store() {
    if (store == null) {
      store = readOnly
          ? StagingStore.openReadOnly(config.stagingDb(), config.zone(), config.sqlFolders(),
              StagingStore.engine(config))
          : StagingStore.open(config);
    }
    return store;
  }

  @Override
  public QueryResult query(String sql) {
    if (queries == null) {
      queries = new UserQueries(store(), UserQueries.limits(config));
    }
    return queries.run(sql);
  }

  @Override
  public StatusReport status() {
    Rollover rollover = new Rollover(config, store(), clock);
    return StatusReport.of(config, store(), null,
        clock.instant(), rollover.schedule().nextRun(clock.instant()));
  }

  @Override
  public CatchupResult catchup(CatchupOptions options) {
    try {
      Ingester.Walking walking = Ingester.walkAhead(config); // walks while the store opens
      return new Ingester(config, store(), clock).catchup(options, walking);
    } catch (IOException e) {
      throw new UncheckedIOException("catch-up of " + config.reportsDir() + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public RolloverReport rollover(LocalDate date, boolean dryRun) {
    if (exportHook == null && !dryRun) {
      exportHook = ExportHook.of(config, clock, ExportHook.Outcomes.NONE);
    }
    return new Rollover(config, store(), clock, exportHook == null ? ExportListener.NONE : exportHook)
        .report(date, dryRun);
  }

  @Override
  public void close() {
    if (queries != null) {
      queries.close();
    }
    if (exportHook != null) {
      exportHook.close(); // this process's runs finish, within onExportTimeoutSeconds, before it exits
    }
    if (store != null) {
      if (!readOnly) {
        store.checkpoint();
      }
      store.close();
    }
  }
}
