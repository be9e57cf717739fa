package com.luka02.heartbeat.store;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.luka02.heartbeat.io.RecentResults;
import com.luka02.heartbeat.report.Check;
import com.luka02.heartbeat.report.Heartbeat;
import com.luka02.heartbeat.report.Status;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Stages reports that are new in every respect (a path never seen, a timestamp not staged) by
 * appending them to {@code heartbeats} and {@code seen_files} through DuckDB's appender: no CSV, no
 * temp table, no merge. Whatever is not new in every respect goes through {@link StagingStore#stage}.
 * Writer thread only, inside {@link StagingStore#inTransaction}.
 */
public final class BulkLoad {
  private final StagingStore store;

  /**
   * One report ready to append: every value computed, the long strings already in UTF-8 (the bytes the
   * appender hands DuckDB), so that building rows runs on reader threads and not on the writer's.
   */
  public record Row(StagedFile file, long tsMicros, String redis, String database, String api, String optimizer,
      String digest, byte[] checksJson, byte[] summary, byte[] path, byte[] contentHash) {
    /** Computes a row's values; safe on any thread. */
    public static Row of(StagedFile f) {
      Heartbeat h = f.heartbeat();
      ChecksValues c = ChecksValues.of(h);
      return new Row(f, micros(h.timestamp()), c.redis(), c.database(), c.api(), c.optimizer(), c.digest(),
          c.json(), utf8(h.summary()), utf8(f.path()), utf8(f.contentHash()));
    }

    private static byte[] utf8(String s) {
      return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }
  }

  /**
   * The values a row takes from a report's checks: the sections' and agents' states and the checks as
   * JSON. They depend on the list of checks alone, and the parser hands out one list, redaction keeping
   * it, for a body it read before: each thread works them out once per list it meets (by identity),
   * keeping at most {@link #CHECK_JSON_BYTES} bytes of their JSON, the lists' text counted so.
   */
  private record ChecksValues(String redis, String database, String api, String optimizer, String digest,
      byte[] json) {
    static ChecksValues of(Heartbeat h) {
      RecentResults<List<Check>, ChecksValues> known = CHECK_LISTS_READ.get();
      ChecksValues v = known.get(h.checks());
      if (v == null) {
        v = new ChecksValues(Status.wireOrNull(h.sectionStatus("Redis")), Status.wireOrNull(h.sectionStatus("Database")),
            Status.wireOrNull(h.sectionStatus("API Endpoints")), h.launchAgent(Heartbeat.OPTIMIZER_AGENT),
            h.launchAgent(Heartbeat.DIGEST_AGENT), checksJsonUtf8(h.checks()));
        known.put(h.checks(), v, v.json().length);
      }
      return v;
    }
  }

  /**
   * Characters beyond the Basic Multilingual Plane (an emoji) written as themselves in UTF-8 too, as
   * the text writer writes them, not as two escaped surrogates.
   */
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();

  /**
   * The {@code checks} column, for the CSV load: the shared mapper's text, written through Jackson's
   * streaming writer without its per-value dispatch (a tenth of a catch-up's reading).
   */
  static String checksJson(List<Check> checks) {
    StringWriter out = new StringWriter(96 * checks.size() + 2);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      writeChecks(g, checks);
    } catch (IOException e) {
      throw new IllegalStateException("writing to a string cannot fail", e);
    }
    return out.toString();
  }

  /**
   * {@link #checksJson} in UTF-8, for the appender: the same text, written as bytes. The compact array
   * is its objects between brackets and commas, and each object is written once per thread while it
   * repeats (a report repeats most of its checks from the report before, and the parser hands out the
   * same check for the same line): see {@link #CHECK_JSON}.
   */
  static byte[] checksJsonUtf8(List<Check> checks) {
    if (checks.isEmpty()) {
      return new byte[] {'[', ']'};
    }
    RecentResults<Check, byte[]> known = CHECK_JSON.get();
    byte[][] objects = new byte[checks.size()][];
    int length = 1 + checks.size(); // the brackets and the commas between
    for (int i = 0; i < objects.length; i++) {
      Check c = checks.get(i);
      byte[] json = known.get(c);
      if (json == null) {
        json = checkJsonUtf8(c);
        known.put(c, json, json.length);
      }
      objects[i] = json;
      length += json.length;
    }
    byte[] out = new byte[length];
    out[0] = '[';
    int at = 1;
    for (int i = 0; i < objects.length; i++) {
      if (i > 0) {
        out[at++] = ',';
      }
      System.arraycopy(objects[i], 0, out, at, objects[i].length);
      at += objects[i].length;
    }
    out[at] = ']';
    return out;
  }

  /**
   * Each check's JSON object as this thread wrote it lately, by the check itself: the parser hands out
   * one check for a text it read before, and redaction keeps it when it masks nothing, so an identity
   * lookup finds it without hashing its strings (a record's own hash code, under the client compiler,
   * cost more than writing the JSON). At most {@link #CHECK_JSON_BYTES} bytes of JSON per thread. It
   * holds only what the rows hold, after redaction.
   */
  static final int CHECK_JSON_BYTES = 256 * 1024;
  private static final ThreadLocal<RecentResults<Check, byte[]>> CHECK_JSON =
      ThreadLocal.withInitial(() -> new RecentResults<>(new IdentityHashMap<>(), CHECK_JSON_BYTES));
  /** See {@link ChecksValues}. */
  private static final ThreadLocal<RecentResults<List<Check>, ChecksValues>> CHECK_LISTS_READ =
      ThreadLocal.withInitial(() -> new RecentResults<>(new IdentityHashMap<>(), CHECK_JSON_BYTES));

  private static byte[] checkJsonUtf8(Check c) {
    ByteArrayBuilder out = new ByteArrayBuilder(96);
    try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      writeCheck(g, c);
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  private static void writeChecks(JsonGenerator g, List<Check> checks) throws IOException {
    g.writeStartArray();
    for (int i = 0; i < checks.size(); i++) {
      writeCheck(g, checks.get(i));
    }
    g.writeEndArray();
  }

  private static void writeCheck(JsonGenerator g, Check c) throws IOException {
    g.writeStartObject();
    g.writeStringField("section", c.section());
    g.writeStringField("label", c.label());
    g.writeStringField("status", Status.wireOrNull(c.status()));
    g.writeStringField("message", c.message());
    g.writeEndObject();
  }

  /** What is staged already: the timestamps (epoch microseconds) of staged rows and the quarantined paths. */
  public record Staged(Set<Long> timestamps, Set<String> quarantined) {}

  public BulkLoad(StagingStore store) {
    this.store = store;
  }

  /** Epoch microseconds, DuckDB's resolution for TIMESTAMPTZ. */
  public static long micros(Instant t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }

  /** The staged timestamps and quarantined paths, read once before a catch-up decides what is new. */
  public Staged staged() {
    DuckDBConnection c = store.writer();
    Set<Long> timestamps = new HashSet<>();
    Set<String> quarantined = new HashSet<>();
    try (Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT epoch_us(\"timestamp\") FROM heartbeats")) {
        while (rs.next()) {
          timestamps.add(rs.getLong(1));
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT path FROM quarantine")) {
        while (rs.next()) {
          quarantined.add(rs.getString(1));
        }
      }
      return new Staged(timestamps, quarantined);
    } catch (SQLException e) {
      throw store.failure("read what is staged", e);
    }
  }

  /**
   * Which of {@code micros} (epoch microseconds) are staged already: for the few reports the watcher
   * hands over at a time. Compared one by one, as literals, so that DuckDB skips every part of the
   * table whose range of timestamps holds none of them (see {@link Staging#seenFiles} on lists).
   */
  public Set<Long> stagedAmong(Collection<Long> micros) {
    Set<Long> staged = new HashSet<>();
    Staging.inLookups(micros, part -> stagedAmong(part, staged));
    return staged;
  }

  private void stagedAmong(List<Long> micros, Set<Long> staged) {
    StringBuilder anyOf = new StringBuilder();
    for (long us : micros) {
      anyOf.append(anyOf.isEmpty() ? "" : " OR ").append("\"timestamp\" = TIMESTAMPTZ '")
          .append(Instant.EPOCH.plus(us, ChronoUnit.MICROS)).append('\'');
    }
    try (Statement s = store.writer().createStatement();
        ResultSet rs = s.executeQuery("SELECT epoch_us(\"timestamp\") FROM heartbeats WHERE " + anyOf)) {
      while (rs.next()) {
        staged.add(rs.getLong(1));
      }
    } catch (SQLException e) {
      throw store.failure("look up " + micros.size() + " report timestamps", e);
    }
  }

  /** Whether no file was ever recorded: then every walked file is new and none vanished. */
  public boolean nothingSeen() {
    try (Statement s = store.writer().createStatement();
        ResultSet rs = s.executeQuery("SELECT NOT EXISTS (SELECT 1 FROM seen_files)")) {
      rs.next();
      return rs.getBoolean(1);
    } catch (SQLException e) {
      throw store.failure("look for recorded files", e);
    }
  }

  /** Appenders for one transaction's new reports; see {@link Appending}. */
  public Appending appending() {
    return new Appending();
  }

  /**
   * The two appenders of one transaction, opened at its first new report and kept across its batches
   * (a year's catch-up had opened two for each of its 411 batches). Rows reach the tables when DuckDB's
   * buffer fills, at {@link #flush}, which must come before any SQL that has to see them (the staging
   * rules, {@link #unstage}), and at {@link #close}, before the commit.
   */
  public final class Appending implements AutoCloseable {
    private DuckDBAppender heartbeats;
    private DuckDBAppender seen;

    private Appending() {}

    /**
     * Appends {@code rows} (each a new path and a timestamp neither staged nor among the others) with
     * the records that their files were seen, all carrying change {@code change}. Returns the count.
     */
    public int add(List<Row> rows, Instant now, long change) {
      if (rows.isEmpty()) {
        return 0;
      }
      long at = micros(now);
      store.staging();
      try {
        if (heartbeats == null) {
          DuckDBConnection c = store.writer();
          heartbeats = c.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "heartbeats");
          seen = c.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "seen_files");
        }
        for (Row r : rows) {
          appendRow(r, at, change);
        }
        return rows.size();
      } catch (SQLException e) {
        throw store.failure("append " + rows.size() + " reports", e);
      }
    }

    private void appendRow(Row r, long at, long change) throws SQLException {
      StagedFile f = r.file();
      Heartbeat hb = f.heartbeat();
      heartbeats.beginRow().append(f.fileName()).append("heartbeat").appendEpochMicros(r.tsMicros())
          .append(hb.status().wire());
      if (hb.durationMs() == null) {
        heartbeats.appendNull();
      } else {
        heartbeats.append(hb.durationMs().intValue());
      }
      heartbeats.append(r.redis()).append(r.database()).append(r.api()).append(r.optimizer()).append(r.digest())
          .append(r.checksJson()).append(r.summary()).append(r.path()).append(r.contentHash())
          .append(f.day()).appendEpochMicros(at).append(change).endRow();
      seen.beginRow().append(r.path()).append(f.size()).append(f.mtimeMs()).append(r.contentHash())
          .appendEpochMicros(r.tsMicros()).appendEpochMicros(at).endRow();
    }

    /** Puts every row appended so far into the tables. */
    public void flush() {
      try {
        if (heartbeats != null) {
          heartbeats.flush();
          seen.flush();
        }
      } catch (SQLException e) {
        throw store.failure("append reports", e);
      }
    }

    @Override
    public void close() {
      try (DuckDBAppender h = heartbeats; DuckDBAppender s = seen) {
        heartbeats = null;
        seen = null;
      } catch (SQLException e) {
        throw store.failure("append reports", e);
      }
    }
  }

  /** Removes the rows staged for these timestamps, so that their reports can be staged again by the rules. */
  public void unstage(List<Instant> timestamps) {
    if (timestamps.isEmpty()) {
      return;
    }
    StringBuilder in = new StringBuilder();
    for (Instant t : timestamps) {
      in.append(in.isEmpty() ? "" : ", ").append(micros(t));
    }
    try (Statement s = store.writer().createStatement()) {
      s.execute("DELETE FROM heartbeats WHERE epoch_us(\"timestamp\") IN (" + in + ")");
    } catch (SQLException e) {
      throw store.failure("unstage " + timestamps.size() + " reports", e);
    }
  }

  /** The next number of the change sequence, for the rows of one transaction. */
  public long nextChange() {
    try (Statement s = store.writer().createStatement(); ResultSet rs = s.executeQuery("SELECT nextval('change_seq')")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw store.failure("number a change", e);
    }
  }
}
