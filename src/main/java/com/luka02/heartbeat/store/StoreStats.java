package com.luka02.heartbeat.store;

import java.time.Instant;

/** Counts for {@code status}. Instants are null when there is nothing yet. */
public record StoreStats(
    long rowsTotal, long rowsToday, Instant lastReport, long quarantined, Instant lastExportAt,
    String lastRolloverError, Instant lastRolloverErrorAt) {}
