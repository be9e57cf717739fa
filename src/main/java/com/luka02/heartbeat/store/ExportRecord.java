package com.luka02.heartbeat.store;

import java.time.Instant;
import java.time.LocalDate;

/** One ledger entry: a day written to Parquet and verified. */
public record ExportRecord(
    LocalDate day, long rows, String file, long bytes, long durationMs, Instant exportedAt, String sha256,
    Instant stagedThrough) {}
