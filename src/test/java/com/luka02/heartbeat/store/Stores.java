package com.luka02.heartbeat.store;

import com.luka02.heartbeat.report.Heartbeat;
import com.luka02.heartbeat.report.ReportFormatException;
import com.luka02.heartbeat.report.ReportParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/** Staged files made from the real reports, and one-value queries. */
final class Stores {
  private Stores() {}

  /** A real report (test-resource copy) as the ingester would hand it over, under {@code g/reports/ops_atomic/}. */
  static StagedFile real(String name) {
    try (InputStream in = Stores.class.getResourceAsStream("/heartbeats-real/" + name)) {
      byte[] bytes = in.readAllBytes();
      Heartbeat h = ReportParser.parse(bytes);
      return new StagedFile("g/reports/ops_atomic/" + name, bytes.length, 1_761_600_000_000L,
          "hash-of-" + name, h, LocalDate.ofInstant(h.timestamp(), ZoneOffset.UTC));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ReportFormatException e) {
      throw new IllegalStateException(name + " is a real report and must parse", e);
    }
  }

  static Object value(StagingStore store, String sql) {
    List<List<Object>> rows = store.query(sql, 1000).rows();
    if (rows.size() != 1 || rows.get(0).size() != 1) {
      throw new IllegalStateException("expected one value from " + sql + ", found " + rows);
    }
    return rows.get(0).get(0);
  }
}
