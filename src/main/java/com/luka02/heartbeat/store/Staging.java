package com.luka02.heartbeat.store;

import com.luka02.heartbeat.store.StagingStore.Changes;
import com.luka02.heartbeat.store.StagingStore.WalkedFile;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Staging reports and the record of files seen: the walk comparison, the merge, forgetting deleted files. */
final class Staging {
  private static final Logger log = LoggerFactory.getLogger(Staging.class);
  /** Values compared in one lookup: a scan compares each row with every one of them. */
  static final int LOOKUP = 64;

  private final Database db;
  private final Transactions tx;

  Staging(Database db, Transactions tx) {
    this.db = db;
    this.tx = tx;
  }

  /**
   * Compares a walk with {@code seen_files} inside DuckDB: the walk is bulk-loaded and joined, so an
   * unchanged year costs a join rather than a hundred thousand rows over JDBC.
   */
  Changes changes(List<WalkedFile> walked, boolean withVanished) {
    db.heal();
    try (Statement s = db.writer().createStatement()) {
      s.execute("CREATE OR REPLACE TEMP TABLE walked (path VARCHAR, size BIGINT, mtime_ms BIGINT)");
      // Appended, not loaded from a CSV file: a year's 105,000 lines were built, written and parsed again.
      // The paths are encoded on both cores first (60 ms of a warm catch-up on this thread alone).
      byte[][] paths = walked.parallelStream().map(w -> w.path().getBytes(StandardCharsets.UTF_8))
          .toArray(byte[][]::new);
      try (DuckDBAppender a = ((DuckDBConnection) db.writer()).createAppender("temp", "main", "walked")) {
        for (int i = 0; i < paths.length; i++) {
          WalkedFile w = walked.get(i);
          a.beginRow().append(paths[i]).append(w.size()).append(w.mtimeMs()).endRow();
        }
      }
      Map<String, SeenFile> changed = changed(s);
      List<String> vanished = withVanished ? vanished(s) : new ArrayList<>();
      s.execute("DROP TABLE walked"); // frees its memory; a DELETE would not
      return new Changes(changed, vanished);
    } catch (SQLException e) {
      throw new StoreException("staging database " + db.file + ": cannot compare the walk: " + e.getMessage(), e);
    }
  }

  /** Each walked path new or different since recorded, with its record (null when new). */
  private static Map<String, SeenFile> changed(Statement s) throws SQLException {
    Map<String, SeenFile> changed = new HashMap<>();
    try (ResultSet rs = s.executeQuery("""
        SELECT w.path, s.size, s.mtime_ms, s.content_hash, s.report_ts, s.path IS NULL
        FROM walked w LEFT JOIN seen_files s USING (path)
        WHERE s.path IS NULL OR s.size <> w.size OR s.mtime_ms <> w.mtime_ms
        """)) {
      while (rs.next()) {
        changed.put(rs.getString(1), rs.getBoolean(6) ? null
            : new SeenFile(rs.getLong(2), rs.getLong(3), rs.getString(4), Sql.instant(rs, 5)));
      }
    }
    return changed;
  }

  private static List<String> vanished(Statement s) throws SQLException {
    List<String> vanished = new ArrayList<>();
    try (ResultSet rs = s.executeQuery("SELECT path FROM seen_files ANTI JOIN walked USING (path)")) {
      while (rs.next()) {
        vanished.add(rs.getString(1));
      }
    }
    return vanished;
  }

  /**
   * What is recorded about each of {@code paths} that has a record, a query per {@link #LOOKUP}
   * paths: seen_files has no index (it would slow every bulk load), so a lookup is a scan, and a
   * batch pays for one. The paths are compared one by one ({@code path = ? OR ...}), not as an
   * {@code IN} list: DuckDB turns a list of more than a few strings into a join, and each such join
   * left about 2.5 KB of native memory behind (23-28 MB after 10,000 lookups of 10 paths in a
   * 150,000-row table, still growing at 40,000; see README, Memory); the agent looks up every batch
   * the watcher hands over.
   */
  Map<String, SeenFile> seenFiles(Collection<String> paths) {
    Map<String, SeenFile> seen = new HashMap<>();
    inLookups(paths, part -> seenFiles(part, seen));
    return seen;
  }

  /** Hands {@code values} to {@code lookup} {@link #LOOKUP} at a time. */
  static <T> void inLookups(Collection<T> values, Consumer<List<T>> lookup) {
    List<T> all = List.copyOf(values);
    for (int from = 0; from < all.size(); from += LOOKUP) {
      lookup.accept(all.subList(from, Math.min(all.size(), from + LOOKUP)));
    }
  }

  private void seenFiles(List<String> paths, Map<String, SeenFile> seen) {
    String anyOf = String.join(" OR ", Collections.nCopies(paths.size(), "path = ?"));
    try (PreparedStatement ps = db.writer().prepareStatement(
        "SELECT path, size, mtime_ms, content_hash, report_ts FROM seen_files WHERE " + anyOf)) {
      int i = 1;
      for (String p : paths) {
        ps.setString(i++, p);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          seen.put(rs.getString(1), new SeenFile(rs.getLong(2), rs.getLong(3), rs.getString(4), Sql.instant(rs, 5)));
        }
      }
    } catch (SQLException e) {
      throw db.fail("read the records of " + paths.size() + " files", e);
    }
  }

  /**
   * Stages parsed files and records quarantined ones in one transaction, with the records that they
   * were seen. Rows are keyed by report timestamp: a copy with the same bytes changes nothing, new
   * content for a known timestamp replaces the row, and {@code replaceAll} rewrites every row given.
   * Callers pass at most one entry per path and per timestamp.
   */
  StageCounts stage(List<StagedFile> files, List<QuarantinedFile> bad, Instant now, boolean replaceAll) {
    if (files.isEmpty() && bad.isEmpty()) {
      return StageCounts.NONE;
    }
    OffsetDateTime committed = now.atOffset(ZoneOffset.UTC);
    return tx.run("stage " + files.size() + " reports", () -> {
      tx.staging();
      long start = System.nanoTime();
      loadIncoming(files, committed);
      long loaded = System.nanoTime();
      StageCounts counts = merge(replaceAll, nextChange(db.writer()));
      if (!bad.isEmpty()) {
        Quarantine.record(db.writer(), bad, committed);
      }
      try (Statement s = db.writer().createStatement()) {
        s.execute(Schema.EMPTY_INCOMING);
      }
      log.debug("staged {} files: load {} ms, merge {} ms", files.size() + bad.size(),
          (loaded - start) / 1_000_000, (System.nanoTime() - loaded) / 1_000_000);
      return new StageCounts(counts.inserted(), counts.replaced(), counts.unchanged(), bad.size());
    });
  }

  private void loadIncoming(List<StagedFile> files, OffsetDateTime now) throws SQLException {
    try (Statement s = db.writer().createStatement()) {
      s.execute(Schema.EMPTY_INCOMING);
      if (!files.isEmpty()) {
        List<String> lines = files.parallelStream().map(f -> RowCsv.line(f, now)).toList();
        CsvLoad.into(s, db.workFolder(), "incoming", lines, RowCsv.readCsvColumns(), " ORDER BY \"timestamp\"");
      }
    }
  }

  /** The next number of the change sequence: every row this transaction writes carries it. */
  static long nextChange(Connection c) throws SQLException {
    return Sql.count(c, "SELECT nextval('change_seq')");
  }

  /** Merges {@code incoming} into the table and the record of seen files; the counts leave quarantine at 0. */
  private StageCounts merge(boolean replaceAll, long change) throws SQLException {
    StageCounts counts = count(replaceAll);
    try (Statement s = db.writer().createStatement()) {
      // A file rewritten as a different report: its old row goes, unless another file still holds it.
      s.execute("""
          DELETE FROM heartbeats WHERE "timestamp" IN (
            SELECT old.report_ts FROM seen_files old JOIN incoming_seen n USING (path)
            WHERE old.report_ts IS NOT NULL AND n.report_ts IS NOT NULL AND old.report_ts <> n.report_ts
              AND old.report_ts NOT IN (SELECT "timestamp" FROM incoming_rows)
              AND NOT EXISTS (SELECT 1 FROM seen_files other
                              WHERE other.report_ts = old.report_ts AND other.path <> old.path
                                AND other.path NOT IN (SELECT path FROM incoming_seen)))
          """);
      s.execute("""
          DELETE FROM heartbeats WHERE "timestamp" IN (
            SELECT n."timestamp" FROM incoming_rows n JOIN heartbeats h USING ("timestamp")
            WHERE %s OR h.content_hash <> n.content_hash)
          """.formatted(replaceAll));
      s.execute("""
          INSERT INTO heartbeats BY NAME SELECT n.*, %d AS change_seq FROM incoming_rows n
          WHERE NOT EXISTS (SELECT 1 FROM heartbeats h WHERE h."timestamp" = n."timestamp")
          ORDER BY n."timestamp"
          """.formatted(change));
      s.execute("DELETE FROM seen_files WHERE path IN (SELECT path FROM incoming_seen)");
      s.execute("INSERT INTO seen_files SELECT * FROM incoming_seen");
      Quarantine.releaseStaged(s);
    }
    return counts;
  }

  /** How the incoming rows compare with the staged ones: new, to replace, unchanged. */
  private StageCounts count(boolean replaceAll) throws SQLException {
    try (Statement s = db.writer().createStatement(); ResultSet rs = s.executeQuery("""
        SELECT count(*) FILTER (WHERE h."timestamp" IS NULL),
               count(*) FILTER (WHERE h."timestamp" IS NOT NULL AND (%s OR h.content_hash <> n.content_hash)),
               (SELECT count(*) FROM incoming_rows)
        FROM incoming_rows n LEFT JOIN heartbeats h USING ("timestamp")
        """.formatted(replaceAll))) {
      rs.next();
      int inserted = rs.getInt(1);
      int replaced = rs.getInt(2);
      return new StageCounts(inserted, replaced, rs.getInt(3) - inserted - replaced, 0);
    }
  }

  /** Forgets files that no longer exist; their rows stay, since the rows are the record. */
  void forgetPaths(Collection<String> paths) {
    if (paths.isEmpty()) {
      return;
    }
    tx.run("forget " + paths.size() + " deleted files", () -> {
      try (PreparedStatement ps = db.writer().prepareStatement("DELETE FROM seen_files WHERE path = ?")) {
        for (String p : paths) {
          ps.setString(1, p);
          ps.executeUpdate();
        }
      }
      Quarantine.forget(db.writer(), paths);
      return null;
    });
  }
}
