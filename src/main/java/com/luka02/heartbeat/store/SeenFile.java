package com.luka02.heartbeat.store;

import java.time.Instant;

/** What the store last recorded about a file; {@code reportTs} is null while it is quarantined. */
public record SeenFile(long size, long mtimeMs, String contentHash, Instant reportTs) {}
