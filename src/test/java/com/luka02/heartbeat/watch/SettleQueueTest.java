package com.luka02.heartbeat.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real files, a hand-moved ticker: when a file is offered, and whether as final. */
class SettleQueueTest {
  private static final Duration SETTLE = Duration.ofMillis(200);
  private static final Duration GRACE = Duration.ofSeconds(10);

  @TempDir Path dir;
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private SettleQueue queue;
  private Path file;

  @BeforeEach
  void setUp() throws Exception {
    queue = new SettleQueue(SETTLE, GRACE, nanos::get);
    file = Files.writeString(dir.resolve("heartbeat_2026-11-20_10-00-00.md"), "first half");
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  private List<SettleQueue.Settled> look() {
    return queue.settled();
  }

  @Test
  void aFileThatHoldsStillBrieflyIsOfferedOnceNotFinalBeforeTheWindow() {
    queue.touch(file);
    assertEquals(List.of(), look(), "offered before it held still at all");
    advance(SettleQueue.QUIET);
    assertEquals(List.of(new SettleQueue.Settled(file, false)), look());
    advance(Duration.ofMillis(10));
    assertEquals(List.of(), look(), "offered early twice: a half-written file would be read on every look");
    advance(SETTLE);
    assertEquals(List.of(new SettleQueue.Settled(file, false)), look(), "the settle window offers it again");
    advance(GRACE);
    assertEquals(List.of(new SettleQueue.Settled(file, true)), look(), "after the grace it is judged as it is");
  }

  @Test
  void aFileThatChangesBetweenLooksIsNotOfferedUntilItHoldsStillAgain() throws Exception {
    queue.touch(file);
    advance(SettleQueue.QUIET.dividedBy(2));
    Files.writeString(file, "first half, then the second");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(1)));
    advance(SettleQueue.QUIET.dividedBy(2));
    assertEquals(List.of(), look(), "it changed since it was noted");
    advance(SettleQueue.QUIET.minusMillis(1));
    assertEquals(List.of(), look(), "it has not yet held still for " + SettleQueue.QUIET);
    advance(Duration.ofMillis(1));
    assertEquals(List.of(new SettleQueue.Settled(file, false)), look());
  }

  @Test
  void aChangeAfterTheEarlyOfferEarnsAnotherOne() throws Exception {
    queue.touch(file);
    advance(SettleQueue.QUIET);
    assertEquals(1, look().size());
    Files.writeString(file, "now the whole report");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(2)));
    queue.touch(file);
    assertEquals(SettleQueue.QUIET.dividedBy(2), queue.nextCheckIn(), "a file not yet offered is looked at soon");
    advance(SettleQueue.QUIET);
    assertEquals(List.of(new SettleQueue.Settled(file, false)), look());
    assertEquals(SETTLE.dividedBy(2), queue.nextCheckIn(), "once offered, it waits for the window");
  }

  @Test
  void aVanishedFileIsOfferedAsFinal() throws Exception {
    queue.touch(file);
    Files.delete(file);
    assertEquals(List.of(new SettleQueue.Settled(file, true)), look());
  }
}
