package com.luka02.heartbeat.store;

import com.luka02.heartbeat.store.StagingStore.ArchivedDay;
import com.luka02.heartbeat.store.StagingStore.DayFacts;
import com.luka02.heartbeat.store.StagingStore.ParquetCheck;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parquet files through DuckDB, on the writer's connection: a day's export, its verification, archive restores. */
final class ParquetFiles {
  private final Database db;
  private final Transactions tx;
  private final ExportLedger ledger;

  ParquetFiles(Database db, Transactions tx, ExportLedger ledger) {
    this.db = db;
    this.tx = tx;
    this.ledger = ledger;
  }

  private static String source(Path parquet) {
    return "read_parquet(" + Sql.literal(parquet.toString()) + ", hive_partitioning = false)";
  }

  /**
   * Writes one day's {@code columns}, ordered by time, to {@code target} as Snappy Parquet and returns
   * the row count. When {@code previous} is given, its rows for timestamps not staged are carried over
   * (the day was pruned from staging after an earlier export); a column it lacks is NULL there.
   */
  long copyDay(LocalDate day, Path target, Path previous, List<String> columns) {
    String select = String.join(", ", Sql.quoted(columns));
    String staged = "SELECT " + select + " FROM heartbeats WHERE report_day = DATE " + Sql.literal(day.toString());
    // BY NAME against the table's empty shape: an older file may lack columns or carry others (host).
    String from = previous == null ? staged : staged + """
         UNION ALL
        SELECT %s FROM (SELECT * FROM heartbeats WHERE false UNION ALL BY NAME
          SELECT * FROM %s)
        WHERE "timestamp" NOT IN (SELECT "timestamp" FROM heartbeats WHERE report_day = DATE %s)
        """.formatted(select, source(previous), Sql.literal(day.toString()));
    String sql = "COPY (SELECT * FROM (" + from + ") ORDER BY \"timestamp\") TO "
        + Sql.literal(target.toString()) + " (FORMAT parquet, COMPRESSION snappy)";
    try (Statement s = db.writer().createStatement()) {
      s.execute(sql);
      return s.getUpdateCount();
    } catch (SQLException e) {
      throw db.fail("write " + target, e);
    }
  }

  /** Row count, column names and compression codecs of a Parquet file, read back through DuckDB. */
  ParquetCheck inspect(Path parquet) {
    String src = source(parquet);
    try (Statement s = db.writer().createStatement()) {
      long rows = Sql.count(db.writer(), "SELECT count(*) FROM " + src);
      List<String> columns = strings(s, "DESCRIBE SELECT * FROM " + src);
      List<String> codecs = strings(s, "SELECT DISTINCT compression FROM parquet_metadata("
          + Sql.literal(parquet.toString()) + ") ORDER BY 1");
      return new ParquetCheck(rows, columns, codecs);
    } catch (SQLException e) {
      throw db.fail("read back " + parquet, e);
    }
  }

  private static List<String> strings(Statement s, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** Reads back what a summary needs from an exported Parquet file. */
  DayFacts dayFacts(Path parquet) {
    String src = source(parquet);
    Map<String, Long> byStatus = new LinkedHashMap<>();
    List<Instant> timestamps = new ArrayList<>();
    List<String> checks = new ArrayList<>();
    try (Statement s = db.writer().createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT status, count(*) FROM " + src + " GROUP BY status ORDER BY status")) {
        while (rs.next()) {
          byStatus.put(rs.getString(1), rs.getLong(2));
        }
      }
      try (ResultSet rs = s.executeQuery(
          "SELECT \"timestamp\", checks::VARCHAR FROM " + src + " ORDER BY \"timestamp\"")) {
        while (rs.next()) {
          timestamps.add(Sql.instant(rs, 1));
          checks.add(rs.getString(2));
        }
      }
      return new DayFacts(byStatus, timestamps, checks);
    } catch (SQLException e) {
      throw db.fail("summarise " + parquet, e);
    }
  }

  /**
   * Rebuilding after damage: stages the rows of an archived day file that no staged row holds
   * (matched by timestamp), and records the file in the ledger. The day counts as exported only
   * when the file holds exactly its staged rows; otherwise the next rollover writes it again.
   */
  ArchivedDay importArchivedDay(LocalDate day, Path parquet, List<String> fileColumns, String relFile,
      String sha256, long bytes, Instant exportedAt) {
    return tx.run("restore " + parquet, () -> {
      Connection c = db.writer();
      long inFile = Sql.count(c, "SELECT count(*) FROM " + source(parquet));
      long restored = restoreRows(parquet, fileColumns, relFile);
      // The day is as exported when the file holds exactly what a rollover would write from the staged rows.
      String what = String.join(", ", compared(fileColumns));
      String staged = "SELECT " + what + " FROM heartbeats WHERE report_day = DATE " + Sql.literal(day.toString());
      String archived = "SELECT " + what + " FROM " + source(parquet);
      boolean same = Sql.count(c, "SELECT count(*) FROM (" + staged + " EXCEPT " + archived + ")") == 0
          && Sql.count(c, "SELECT count(*) FROM (" + archived + " EXCEPT " + staged + ")") == 0;
      long through = same ? ledger.stagedDay(day).changedThrough() : -1;
      ledger.record(new ExportRecord(day, inFile, relFile, bytes, 0, exportedAt, sha256, exportedAt), through);
      return new ArchivedDay(inFile, restored, same);
    });
  }

  /** Stages the file's rows whose timestamp no staged row holds; returns how many. */
  private long restoreRows(Path parquet, List<String> fileColumns, String relFile) throws SQLException {
    long change = Staging.nextChange(db.writer());
    // Lean files carry no provenance: the row came from the archive file, now, with no report bytes to hash.
    List<String> select = new ArrayList<>();
    for (String c : Columns.names()) {
      select.add(fileColumns.contains(c) ? "\"" + c + "\"" : switch (c) {
        case "source_path" -> Sql.literal(relFile) + " AS source_path";
        case "ingested_at" -> "current_timestamp AS ingested_at";
        default -> "'restored' AS " + c; // content_hash: never equal to a report's SHA-256
      });
    }
    try (Statement s = db.writer().createStatement()) {
      return s.executeUpdate("INSERT INTO heartbeats BY NAME SELECT " + String.join(", ", select)
          + ", " + change + " AS change_seq FROM " + source(parquet) + " p WHERE NOT EXISTS "
          + "(SELECT 1 FROM heartbeats h WHERE h.\"timestamp\" = p.\"timestamp\")");
    }
  }

  /** The columns a restored day is compared on: those the file holds, provenance aside. */
  private static List<String> compared(List<String> fileColumns) {
    List<String> compared = new ArrayList<>();
    for (String c : Columns.names()) {
      if (fileColumns.contains(c) && !c.equals("source_path") && !c.equals("ingested_at")) {
        compared.add(c.equals("checks") ? "checks::VARCHAR" : "\"" + c + "\"");
      }
    }
    return compared;
  }
}
