package com.luka02.heartbeat.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The health rules on a ticker moved by hand: a stuck writer, a failed write, and an idle store. */
class HealthTest {
  private static final Duration OVERDUE = Duration.ofMinutes(2);
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final Health health = new Health(reportsDirOf(), () -> true, nanos::get, OVERDUE, () -> null);

  private Path reportsDirOf() {
    return Path.of(System.getProperty("java.io.tmpdir"));
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  void idleWriterThatKeepsRunningTheCheck_isHealthyWithoutWriting() {
    for (int i = 0; i < 10; i++) {
      advance(Duration.ofSeconds(30));
      health.writerRan();
    }

    Health.Report r = health.check();
    assertTrue(r.healthy(), r.problems().toString());
    assertTrue(r.storeWritable());
  }

  @Test
  void writerThatStoppedRunningTheCheck_isStuck() {
    health.writerRan();
    advance(OVERDUE.plusSeconds(1));

    Health.Report r = health.check();
    assertFalse(r.healthy());
    assertTrue(r.problems().get(0).contains("the writer is stuck"), r.problems().toString());
    assertFalse(r.storeWritable());
  }

  @Test
  void failedWrite_isUnhealthyUntilAWriteSucceeds() {
    health.writerRan();
    health.writeFailed(Instant.parse("2026-11-27T10:00:00Z"), new IllegalStateException("disk full"));
    assertFalse(health.check().healthy());
    assertFalse(health.wroteWithin(Duration.ofMinutes(10)), "a failed write is tried again at the next check");

    health.wrote(Instant.parse("2026-11-27T10:00:30Z"));
    assertTrue(health.check().healthy(), health.check().problems().toString());
  }

  @Test
  void aWriteIsRecentOnlyWithinItsWindow() {
    health.wrote(Instant.parse("2026-11-27T10:00:00Z"));
    advance(Duration.ofMinutes(9));
    assertTrue(health.wroteWithin(Duration.ofMinutes(10)));
    advance(Duration.ofMinutes(2));
    assertFalse(health.wroteWithin(Duration.ofMinutes(10)));
    health.writerRan();
    assertEquals(0, health.check().problems().size(), "an idle store needs no write to be healthy");
  }
}
