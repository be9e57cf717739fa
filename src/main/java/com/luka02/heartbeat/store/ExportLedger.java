package com.luka02.heartbeat.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The ledger of Parquet exports and what it decides: which days are due, which staged rows a file
 * holds so that they may be pruned, and which pruned days' files {@code all_heartbeats} reads.
 */
final class ExportLedger {
  private static final String RECORD_COLUMNS =
      "day, row_count, file, bytes, duration_ms, exported_at, sha256, staged_through";

  private final Database db;
  private final Transactions tx;
  /** What the ledger's file paths are relative to; null when unknown, and then only staged rows are history. */
  private final Path root;

  ExportLedger(Database db, Transactions tx, Path root) {
    this.db = db;
    this.tx = tx;
    this.root = root;
  }

  /** Days up to {@code through} with rows that their Parquet file does not hold yet. */
  List<DayExport> daysToExport(LocalDate through) {
    db.heal();
    List<DayExport> days = new ArrayList<>();
    try (PreparedStatement ps = db.writer().prepareStatement("""
        SELECT h.report_day, count(*), max(h.ingested_at), coalesce(any_value(e.pruned), false), max(h.change_seq)
        FROM heartbeats h LEFT JOIN exports e ON e.day = h.report_day
        WHERE h.report_day <= ?
        GROUP BY h.report_day
        HAVING any_value(e.day) IS NULL
            OR max(h.change_seq) > any_value(e.exported_through)
            OR (NOT any_value(e.pruned) AND count(*) <> any_value(e.row_count))
        ORDER BY h.report_day
        """)) {
      ps.setObject(1, through);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          days.add(new DayExport(rs.getObject(1, LocalDate.class), rs.getLong(2), Sql.instant(rs, 3),
              rs.getBoolean(4), rs.getLong(5)));
        }
      }
      return days;
    } catch (SQLException e) {
      throw db.fail("list days to export", e);
    }
  }

  /** Number of staged rows of one day, and the newest ingestion among them. */
  DayExport stagedDay(LocalDate day) {
    try (PreparedStatement ps = db.writer().prepareStatement("""
        SELECT count(*), max(ingested_at),
               coalesce((SELECT pruned FROM exports WHERE day = ?), false), coalesce(max(change_seq), 0)
        FROM heartbeats WHERE report_day = ?
        """)) {
      ps.setObject(1, day);
      ps.setObject(2, day);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new DayExport(day, rs.getLong(1), Sql.instant(rs, 2), rs.getBoolean(3), rs.getLong(4));
      }
    } catch (SQLException e) {
      throw db.fail("count rows of " + day, e);
    }
  }

  /**
   * Records a verified export holding the day's rows through change {@code changedThrough}; call only
   * after the file is in place under its final name.
   */
  void record(ExportRecord r, long changedThrough) {
    try (PreparedStatement ps = db.writer().prepareStatement("""
        INSERT INTO exports (day, row_count, file, bytes, duration_ms, exported_at, sha256, staged_through,
            pruned, exported_through)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, false, ?)
        ON CONFLICT (day) DO UPDATE SET row_count = excluded.row_count, file = excluded.file,
          bytes = excluded.bytes, duration_ms = excluded.duration_ms, exported_at = excluded.exported_at,
          sha256 = excluded.sha256, staged_through = excluded.staged_through,
          exported_through = excluded.exported_through
        """)) {
      ps.setObject(1, r.day());
      ps.setLong(2, r.rows());
      ps.setString(3, r.file());
      ps.setLong(4, r.bytes());
      ps.setLong(5, r.durationMs());
      ps.setObject(6, r.exportedAt().atOffset(ZoneOffset.UTC));
      ps.setString(7, r.sha256());
      ps.setObject(8, r.stagedThrough().atOffset(ZoneOffset.UTC));
      ps.setLong(9, changedThrough);
      ps.executeUpdate();
      refreshHistory();
    } catch (SQLException e) {
      throw db.fail("record the export of " + r.day(), e);
    }
  }

  /** Exports of days that no longer have any staged row and were never pruned: their rows moved elsewhere. */
  List<ExportRecord> withoutRows() {
    try (Statement s = db.writer().createStatement(); ResultSet rs = s.executeQuery("SELECT " + RECORD_COLUMNS
        + " FROM exports e WHERE NOT pruned AND NOT EXISTS (SELECT 1 FROM heartbeats h WHERE h.report_day = e.day)"
        + " ORDER BY day")) {
      return records(rs);
    } catch (SQLException e) {
      throw db.fail("find exports without rows", e);
    }
  }

  /** Removes a day from the ledger; call after its file is gone. */
  void forget(LocalDate day) {
    try (PreparedStatement ps = db.writer().prepareStatement("DELETE FROM exports WHERE day = ?")) {
      ps.setObject(1, day);
      ps.executeUpdate();
      refreshHistory();
    } catch (SQLException e) {
      throw db.fail("forget the export of " + day, e);
    }
  }

  /** The ledger, newest day first, at most {@code limit} entries; on a connection of its own. */
  List<ExportRecord> newest(int limit) {
    try (Connection c = db.duplicate();
        PreparedStatement ps = c.prepareStatement("SELECT " + RECORD_COLUMNS + " FROM exports ORDER BY day DESC LIMIT ?")) {
      ps.setInt(1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        return records(rs);
      }
    } catch (SQLException e) {
      throw db.fail("read the export ledger", e);
    }
  }

  private static List<ExportRecord> records(ResultSet rs) throws SQLException {
    List<ExportRecord> out = new ArrayList<>();
    while (rs.next()) {
      out.add(new ExportRecord(rs.getObject(1, LocalDate.class), rs.getLong(2), rs.getString(3), rs.getLong(4),
          rs.getLong(5), Sql.instant(rs, 6), rs.getString(7), Sql.instant(rs, 8)));
    }
    return out;
  }

  /**
   * Deletes staged rows of days before {@code before} whose export holds them, and marks those days
   * pruned; returns the rows deleted. Runs inside the caller's transaction when one is open, and then
   * commits nothing: the caller's commit or rollback decides. The day's file joins
   * {@code all_heartbeats} in the same transaction, so no reader sees its reports twice or not at all.
   */
  long prune(LocalDate before) {
    return tx.run("prune rows before " + before, () -> {
      try (Statement s = db.writer().createStatement()) {
        String cutoff = "DATE " + Sql.literal(before.toString());
        // Marked first, while the rows to delete can still be seen: a day that loses any row makes its
        // file the record, even if a late row stays staged until the re-export.
        s.executeUpdate("""
            UPDATE exports SET pruned = true WHERE day < %s AND NOT pruned AND (
              NOT EXISTS (SELECT 1 FROM heartbeats h WHERE h.report_day = exports.day)
              OR EXISTS (SELECT 1 FROM heartbeats h WHERE h.report_day = exports.day
                         AND h.change_seq <= exports.exported_through))
            """.formatted(cutoff));
        int deleted = s.executeUpdate("""
            DELETE FROM heartbeats WHERE report_day < %s AND EXISTS (
              SELECT 1 FROM exports e WHERE e.day = heartbeats.report_day
                AND heartbeats.change_seq <= e.exported_through)
            """.formatted(cutoff));
        refreshHistory();
        return (long) deleted;
      }
    });
  }

  /** Rewrites {@code all_heartbeats} with the files of the pruned days, on the writer's connection. */
  void refreshHistory() {
    List<Path> files = new ArrayList<>();
    if (root != null) {
      try (Statement s = db.writer().createStatement();
          ResultSet rs = s.executeQuery("SELECT file FROM exports WHERE pruned ORDER BY day")) {
        while (rs.next()) {
          files.add(root.resolve(rs.getString(1)));
        }
      } catch (SQLException e) {
        throw db.fail("list the pruned days' files", e);
      }
    }
    try (Statement s = db.writer().createStatement()) {
      s.execute(HistoryView.definition(files));
    } catch (SQLException e) {
      throw db.fail("define " + HistoryView.NAME, e);
    }
  }

  /** Which days are staged and which only in Parquet; on a connection of its own. */
  HistorySpan historySpan() {
    try (Connection c = db.duplicate(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
        SELECT (SELECT count(DISTINCT report_day) FROM heartbeats), (SELECT min(report_day) FROM heartbeats),
               (SELECT max(report_day) FROM heartbeats), count(e.day), min(e.day), max(e.day), coalesce(sum(e.row_count), 0)
        FROM exports e WHERE e.pruned AND NOT EXISTS (SELECT 1 FROM heartbeats h WHERE h.report_day = e.day)
        """)) {
      rs.next();
      return new HistorySpan(rs.getLong(1), rs.getObject(2, LocalDate.class), rs.getObject(3, LocalDate.class),
          rs.getLong(4), rs.getObject(5, LocalDate.class), rs.getObject(6, LocalDate.class), rs.getLong(7));
    } catch (SQLException e) {
      throw db.fail("read which days are staged", e);
    }
  }
}
