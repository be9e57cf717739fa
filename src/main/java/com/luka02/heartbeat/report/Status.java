package com.luka02.heartbeat.report;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a report, or one of its checks, says: the same four words in the store, the Parquet files, the
 * JSON the page reads and the summaries. A report's own status is never {@link #SKIPPED}.
 */
public enum Status {
  /** The monitor's HEALTHY, or a check's ✅. */
  OK("ok"),
  /** The monitor's WARNINGS, or a check's ⚠️. */
  WARN("warn"),
  /** The monitor's CRITICAL, or a check's ❌. */
  ERROR("error"),
  /** A check the monitor drew with ❌ but says it skipped (in CI, for example). */
  SKIPPED("skipped");

  /** The spellings a stored status may have, for messages: {@code ok, warn, error or skipped}. */
  public static final String EXPECTED = "ok, warn, error or skipped";

  private final String wire;

  Status(String wire) {
    this.wire = wire;
  }

  /** The spelling stored in the columns and written to JSON and Parquet; never changes. */
  @JsonValue
  public String wire() {
    return wire;
  }

  /** The wire spelling, so that a status joined into text reads as it is stored. */
  @Override
  public String toString() {
    return wire;
  }

  /** The status spelled {@code wire}; throws {@link IllegalArgumentException} naming the expected spellings. */
  @JsonCreator
  public static Status fromWire(String wire) {
    for (Status s : values()) {
      if (s.wire.equals(wire)) {
        return s;
      }
    }
    throw new IllegalArgumentException("expected a status of " + EXPECTED + ", found '" + wire + "'");
  }

  /** As {@link #fromWire}, null for null: a check without a marker we know has no status. */
  public static Status fromWireOrNull(String wire) {
    return wire == null ? null : fromWire(wire);
  }

  /** The spelling of {@code status}, or null, for a nullable column. */
  public static String wireOrNull(Status status) {
    return status == null ? null : status.wire;
  }
}
