package com.luka02.heartbeat.store;

/**
 * A heartbeat-named file that cannot become a row, with why.
 *
 * @param path relative to the root
 * @param line 1-based line of the problem, or 0 when it concerns the whole file
 * @param contentHash null when the file was not read (too large, unreadable)
 */
public record QuarantinedFile(
    String path, long size, long mtimeMs, String contentHash, String reason, int line, String excerpt) {}
