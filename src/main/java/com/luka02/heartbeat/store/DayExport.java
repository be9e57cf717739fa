package com.luka02.heartbeat.store;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A day whose staged rows are not yet in its Parquet file, as the ledger sees it; {@code changedThrough}
 * is the highest change sequence among its rows, which its export records.
 */
public record DayExport(LocalDate day, long stagedRows, Instant stagedThrough, boolean previouslyPruned,
    long changedThrough) {}
