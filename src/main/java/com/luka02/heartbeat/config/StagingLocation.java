package com.luka02.heartbeat.config;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves an install's staging database out of the Parquet folder, once. Earlier versions kept
 * {@code staging.duckdb} (and {@code agent.json}) in {@code g/analytics/}, where a lake reading the
 * folder trips on them. The move is two renames in one filesystem, database first, then its WAL:
 * a crash between them leaves the database in the new place and the WAL in the old, which the next
 * start completes before anything opens the database. Until the move succeeds the old place is used.
 */
final class StagingLocation {
  private static final Logger log = LoggerFactory.getLogger(StagingLocation.class);

  /** Test hook: called between the two renames, where a crash is worst. */
  interface Interruption {
    void afterDatabaseMoved() throws IOException;
  }

  static final Interruption NONE = () -> {};

  private StagingLocation() {}

  /** The database to use: {@code current}, after moving {@code legacy} there if it can be moved now. */
  static Path settle(Path current, Path legacy) {
    return settle(current, legacy, NONE);
  }

  static Path settle(Path current, Path legacy, Interruption interruption) {
    Path legacyWal = wal(legacy);
    Path currentWal = wal(current);
    if (!Files.exists(legacy)) {
      if (Files.exists(legacyWal) && Files.exists(current)) {
        finishInterruptedMove(legacyWal, currentWal);
      }
      return current;
    }
    if (Files.exists(current)) {
      throw new ConfigException("two staging databases: " + current + " and " + legacy + " (the place earlier "
          + "versions used). heartbeat-ingester uses " + current + "; remove or rename " + legacy
          + " (and its .wal) once you have kept what you need from it");
    }
    try {
      return move(current, legacy, interruption) ? current : legacy;
    } catch (IOException e) {
      if (!Files.exists(legacy)) {
        finishInterruptedMove(legacyWal, currentWal); // the database moved, its WAL did not: retry once
        return current;
      }
      log.warn("cannot move the staging database {} to {} ({}); using it where it is until the next start",
          legacy, current, e.toString());
      return legacy;
    }
  }

  private static void finishInterruptedMove(Path legacyWal, Path currentWal) {
    if (Files.exists(currentWal)) {
      throw new ConfigException("an interrupted move left two write-ahead logs: " + currentWal + " and "
          + legacyWal + "; keep the one written last beside the database and remove the other");
    }
    try {
      Files.move(legacyWal, currentWal, StandardCopyOption.ATOMIC_MOVE);
      log.info("finished moving the staging database: {} is now {}", legacyWal, currentWal);
    } catch (IOException e) {
      // Opening the database without its WAL would lose its last commits: stop here instead.
      throw new ConfigException("cannot finish moving the staging database's write-ahead log " + legacyWal
          + " to " + currentWal + ": " + e.getMessage() + "; move it by hand, then start again");
    }
  }

  /** Moves under the old place's locks; false when a process still uses the database there. */
  private static boolean move(Path current, Path legacy, Interruption interruption) throws IOException {
    Path legacyLock = legacy.resolveSibling("agent.lock");
    try (FileChannel agent = FileChannel.open(legacyLock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock agentLock = tryLock(agent)) {
      if (agentLock == null) {
        log.info("an agent runs on {}; the staging database moves to {} at its next start", legacy, current);
        return false;
      }
      // A process holding the database itself (a CLI command, the DuckDB shell) without the agent lock.
      try (FileChannel db = FileChannel.open(legacy, StandardOpenOption.WRITE); FileLock dbLock = tryLock(db)) {
        if (dbLock == null) {
          log.info("another process has {} open; it moves to {} at the next start", legacy, current);
          return false;
        }
        Files.createDirectories(current.getParent());
        try {
          Files.move(legacy, current, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          log.warn("{} and {} are on different filesystems: the staging database stays where it is; "
              + "set stagingDb in the config to keep it there without this warning", legacy, current.getParent());
          return false;
        }
      }
      interruption.afterDatabaseMoved();
      if (Files.exists(wal(legacy))) {
        Files.move(wal(legacy), wal(current), StandardCopyOption.ATOMIC_MOVE);
      }
      // No agent holds the old lock, so an agent.json there is a crashed agent's leftover.
      Files.deleteIfExists(legacy.resolveSibling("agent.json"));
      Files.deleteIfExists(legacyLock);
    }
    log.info("moved the staging database out of the Parquet folder: {} is now {}", legacy, current);
    return true;
  }

  private static FileLock tryLock(FileChannel ch) throws IOException {
    try {
      return ch.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  private static Path wal(Path db) {
    return db.resolveSibling(db.getFileName() + ".wal");
  }
}
