package com.luka02.heartbeat.agent;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.export.ArchiveRestore;
import com.luka02.heartbeat.ingest.CatchupOptions;
import com.luka02.heartbeat.ingest.CatchupResult;
import com.luka02.heartbeat.ingest.Ingester;
import com.luka02.heartbeat.store.StagingStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The way forward from a damaged store: set the damaged file and its WAL aside (never deleted),
 * create a fresh store, stage the reports tree, and restore the ledger and the rows only the
 * Parquet archive still holds. Refuses while an agent runs on the root.
 */
public final class Recovery {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** What a recovery did. */
  public record Report(List<Path> setAside, CatchupResult reports, ArchiveRestore.Report archive) {}

  private Recovery() {}

  /**
   * Rebuilds the store of {@code config}. Unless {@code force}, refuses a store that opens and reads,
   * since rebuilding loses what only it holds (quarantine history, run times).
   */
  public static Report run(Config config, Clock clock, boolean force) throws IOException {
    AgentLock lock = AgentLock.tryAcquire(config.lockFile());
    if (lock == null) {
      throw AgentRunningException.of(config);
    }
    try (lock) {
      Path db = config.stagingDb();
      if (!force && readsFine(config)) {
        throw new IllegalStateException("the staging database " + db + " opens and reads; nothing to recover."
            + " To rebuild it from the reports and the archive anyway, run `recover --force`.");
      }
      List<Path> aside = setAside(db, clock);
      try (StagingStore store = StagingStore.open(config)) {
        CatchupResult reports = new Ingester(config, store, clock).catchup(CatchupOptions.FULL);
        ArchiveRestore.Report archive = ArchiveRestore.restore(config, store, clock);
        store.checkpoint();
        return new Report(aside, reports, archive);
      }
    }
  }

  private static boolean readsFine(Config config) {
    if (!Files.exists(config.stagingDb())) {
      return false;
    }
    try (StagingStore store = StagingStore.openReadOnly(config.stagingDb(), config.zone(), config.sqlFolders())) {
      store.stats(LocalDate.now());
      store.exports(1);
      store.query("SELECT count(*) FROM seen_files, quarantine, agent_state", 1);
      return true;
    } catch (RuntimeException damaged) {
      return false;
    }
  }

  /** Renames the database and its WAL to {@code <name>.damaged-<UTC time>[.wal]} beside them. */
  private static List<Path> setAside(Path db, Clock clock) throws IOException {
    String stamp = STAMP.format(clock.instant());
    List<Path> moved = new ArrayList<>();
    Path aside = db.resolveSibling(db.getFileName() + ".damaged-" + stamp);
    for (String suffix : List.of("", ".wal")) {
      Path from = db.resolveSibling(db.getFileName() + suffix);
      if (Files.exists(from)) {
        Path to = aside.resolveSibling(aside.getFileName() + suffix);
        if (Files.exists(to)) {
          throw new IOException("cannot set " + from + " aside: " + to + " exists; try again in a second");
        }
        moved.add(Files.move(from, to, StandardCopyOption.ATOMIC_MOVE)); // a rename: the bytes stay as they were
      }
    }
    return List.copyOf(moved);
  }
}
