package com.luka02.heartbeat.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/** Small named facts that survive restarts, in {@code agent_state}. */
final class StateTable {
  private StateTable() {}

  /** Sets a fact on the writer's connection; a null value clears it. Writer thread only. */
  static void put(Database db, StateKey key, String value, Instant at) {
    db.heal();
    try (PreparedStatement ps = db.writer().prepareStatement("INSERT OR REPLACE INTO agent_state VALUES (?, ?, ?)")) {
      ps.setString(1, key.key());
      ps.setString(2, value);
      ps.setObject(3, at.atOffset(ZoneOffset.UTC));
      ps.executeUpdate();
    } catch (SQLException e) {
      throw db.fail("record " + key.key(), e);
    }
  }

  /** A fact and when it was set, or null; read on a connection of its own. */
  static Map.Entry<String, Instant> read(Database db, StateKey key) {
    try (Connection c = db.duplicate()) {
      return read(c, key);
    } catch (SQLException e) {
      throw db.fail("read " + key.key(), e);
    }
  }

  static Map.Entry<String, Instant> read(Connection c, StateKey key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT value, updated_at FROM agent_state WHERE key = ? AND value IS NOT NULL")) {
      ps.setString(1, key.key());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Map.entry(String.valueOf(rs.getString(1)), Sql.instant(rs, 2)) : null;
      }
    }
  }
}
