package com.luka02.heartbeat.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;

/**
 * Files named like reports that could not become rows: recorded as seen (so an unchanged file is
 * not read again) and kept in {@code quarantine} with the reason, until the file stages or is gone.
 */
final class Quarantine {
  /** The newest entries, at most {@code %d}: path, reason, line, epoch ms seen. */
  static final String NEWEST = "SELECT path, reason, line, epoch_ms(seen_at) AS seen_at FROM quarantine "
      + "ORDER BY seen_at DESC, path LIMIT %d";

  private Quarantine() {}

  /** Records {@code bad} as seen and quarantined, inside the caller's transaction. */
  static void record(Connection c, List<QuarantinedFile> bad, OffsetDateTime now) throws SQLException {
    try (PreparedStatement del = c.prepareStatement("DELETE FROM seen_files WHERE path = ?");
        PreparedStatement ps = c.prepareStatement("INSERT INTO seen_files VALUES (?, ?, ?, ?, NULL, ?)")) {
      for (QuarantinedFile q : bad) {
        del.setString(1, q.path());
        del.executeUpdate();
        ps.setString(1, q.path());
        ps.setLong(2, q.size());
        ps.setLong(3, q.mtimeMs());
        ps.setString(4, q.contentHash() == null ? "" : q.contentHash());
        ps.setObject(5, now);
        ps.executeUpdate();
      }
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO quarantine VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (QuarantinedFile q : bad) {
        ps.setString(1, q.path());
        ps.setString(2, q.reason());
        if (q.line() > 0) {
          ps.setInt(3, q.line());
        } else {
          ps.setNull(3, Types.INTEGER);
        }
        ps.setString(4, q.excerpt());
        ps.setString(5, q.contentHash());
        ps.setLong(6, q.size());
        ps.setObject(7, now);
        ps.executeUpdate();
      }
    }
  }

  /** Releases the files of the incoming rows that now staged. */
  static void releaseStaged(Statement s) throws SQLException {
    s.execute("DELETE FROM quarantine WHERE path IN (SELECT path FROM incoming_seen WHERE report_ts IS NOT NULL)");
  }

  /** Forgets the entries of files that no longer exist. */
  static void forget(Connection c, Collection<String> paths) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM quarantine WHERE path = ?")) {
      for (String p : paths) {
        ps.setString(1, p);
        ps.executeUpdate();
      }
    }
  }
}
