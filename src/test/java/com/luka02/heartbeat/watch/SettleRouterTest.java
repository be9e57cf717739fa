package com.luka02.heartbeat.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real files, a hand-moved ticker and a writer that runs its tasks when the test moves time: no sleeps. */
class SettleRouterTest {
  private static final Duration SETTLE = Duration.ofSeconds(2);
  private static final Duration GRACE = Duration.ofSeconds(10);

  @TempDir Path dir;
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final FakeWriter writer = new FakeWriter();
  private final List<String> staged = new ArrayList<>();
  private final List<Path> forgotten = new ArrayList<>();
  private final List<Path> folders = new ArrayList<>();
  private int settledCalls;
  private boolean closing;
  /** What the fake stager does with each batch: returns the paths done with, or throws. */
  private Stage stage = (paths, finalAttempt) -> Set.copyOf(paths);
  private SettleQueue queue;
  private SettleRouter router;
  private Path file;

  interface Stage {
    Set<Path> apply(List<Path> paths, boolean finalAttempt);
  }

  @BeforeEach
  void setUp() throws Exception {
    queue = new SettleQueue(SETTLE, GRACE, nanos::get);
    router = new SettleRouter(queue, dir.resolve("summaries"), writer, new SettleRouter.Stager() {
      @Override
      public Set<Path> stage(List<Path> paths, boolean finalAttempt) {
        paths.forEach(p -> staged.add(p.getFileName() + (finalAttempt ? " final" : " tentative")));
        return stage.apply(paths, finalAttempt);
      }

      @Override
      public void forget(List<Path> paths) {
        forgotten.addAll(paths);
      }
    }, new SettleRouter.Owner() {
      @Override
      public boolean closing() {
        return closing;
      }

      @Override
      public void folderArrived(Path folder) {
        folders.add(folder);
      }

      @Override
      public void settled() {
        settledCalls++;
      }
    });
    file = Files.writeString(dir.resolve("heartbeat_2026-11-20_10-00-00.md"), "a report");
  }

  @Test
  void changedHeartbeat_isStagedOnceItHoldsStill_andNothingMoreIsScheduled() {
    router.changed(file);
    writer.advance(Duration.ZERO);
    assertEquals(List.of(), staged, "not before it has held still");
    writer.advance(SettleQueue.QUIET);
    assertEquals(List.of("heartbeat_2026-11-20_10-00-00.md tentative"), staged);
    assertFalse(queue.contains(file));
    assertEquals(1, settledCalls);
    assertEquals(0, writer.pending(), "an empty queue needs no more looks");
  }

  @Test
  void fileNotYetJudged_staysQueued_andIsJudgedAsItIsAfterTheGrace() {
    stage = (paths, finalAttempt) -> finalAttempt ? Set.copyOf(paths) : Set.of();
    router.changed(file);
    writer.advance(SettleQueue.QUIET);
    assertTrue(queue.contains(file), "a file without its closing line waits");
    writer.advance(GRACE);
    assertEquals("heartbeat_2026-11-20_10-00-00.md final", staged.get(staged.size() - 1));
    assertFalse(queue.contains(file));
  }

  @Test
  void failedStaging_isTriedAgainAfterAPauseThatDoubles_andResetsOnSuccess() {
    stage = (paths, finalAttempt) -> Set.of(); // not judged yet
    router.changed(file);
    writer.advance(SETTLE); // held still for the window: offered at every look from now on
    stage = (paths, finalAttempt) -> {
      throw new IllegalStateException("disk full");
    };
    writer.advance(Duration.ofMillis(500));
    assertEquals(1, writer.failures);
    assertEquals(Duration.ofSeconds(1), writer.lastDelay(), "the first retry waits a second");
    writer.advance(Duration.ofSeconds(1));
    assertEquals(Duration.ofSeconds(2), writer.lastDelay());
    writer.advance(Duration.ofSeconds(2));
    assertEquals(Duration.ofSeconds(4), writer.lastDelay());
    assertEquals(3, writer.failures, "no look in between: the writer does not spin on a full disk");
    stage = (paths, finalAttempt) -> Set.copyOf(paths);
    writer.advance(Duration.ofSeconds(4));
    assertFalse(queue.contains(file), "staged once the disk has room");
    router.changed(file);
    writer.advance(Duration.ZERO);
    assertEquals(SettleQueue.QUIET.dividedBy(2), writer.lastDelay(), "a success forgets the pause");
  }

  @Test
  void backoff_doublesFromASecond_toAMinuteAtMost() {
    List<Duration> seen = new ArrayList<>();
    Duration d = Duration.ZERO;
    for (int i = 0; i < 8; i++) {
      d = SettleRouter.longerBackoff(d);
      seen.add(d);
    }
    assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L), seen.stream().map(Duration::toSeconds).toList());
  }

  @Test
  void deletedHeartbeat_isForgottenAndLeavesTheQueue() {
    router.changed(file);
    writer.advance(Duration.ZERO);
    router.deleted(file);
    writer.advance(Duration.ZERO);
    assertEquals(List.of(file), forgotten);
    assertFalse(queue.contains(file));
    assertEquals(1, settledCalls);
  }

  @Test
  void summariesAndOtherNamesAreIgnored_andAFolderGoesToTheOwner() throws Exception {
    Path summary = Files.createDirectories(dir.resolve("summaries")).resolve("heartbeat_x.md");
    router.changed(summary);
    router.changed(dir.resolve("notes.txt"));
    Path folder = Files.createDirectories(dir.resolve("2026-11"));
    router.changed(folder);
    writer.advance(Duration.ZERO);
    assertEquals(0, writer.ran, "nothing reached the writer");
    assertEquals(List.of(folder), folders);
  }

  @Test
  void onceClosing_eventsAreLeftToTheNextStart() {
    closing = true;
    router.changed(file);
    router.deleted(file);
    writer.advance(SETTLE);
    assertEquals(0, writer.ran);
    assertFalse(queue.contains(file));
  }

  @Test
  void aStoppingWriter_refusesTheLook_andALaterOneIsStillScheduled() {
    router.changed(file);
    writer.stopping = true;
    writer.advance(Duration.ZERO);
    assertEquals(0, writer.pending());
    writer.stopping = false;
    router.scheduleCheck();
    assertEquals(1, writer.pending(), "a refused look does not block the next");
  }

  /** The writer thread on the test's ticker; like the real one, a task that throws is logged and dropped. */
  private final class FakeWriter implements SettleRouter.Writer {
    private final PriorityQueue<long[]> due = new PriorityQueue<>((a, b) -> a[0] != b[0]
        ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    private final List<Runnable> tasks = new ArrayList<>();
    private final List<Duration> delays = new ArrayList<>();
    boolean stopping;
    int ran;
    int failures;

    @Override
    public void execute(String what, Runnable task) {
      schedule(what, task, Duration.ZERO);
    }

    @Override
    public boolean schedule(String what, Runnable task, Duration delay) {
      if (stopping) {
        return false;
      }
      if ("settle".equals(what)) {
        delays.add(delay);
      }
      tasks.add(task);
      due.add(new long[] {nanos.get() + delay.toNanos(), tasks.size() - 1});
      return true;
    }

    Duration lastDelay() {
      return delays.get(delays.size() - 1);
    }

    int pending() {
      return due.size();
    }

    /** Moves the ticker {@code by}, running each task when its time comes. */
    void advance(Duration by) {
      long until = nanos.get() + by.toNanos();
      while (!due.isEmpty() && due.peek()[0] <= until) {
        long[] next = due.poll();
        nanos.set(Math.max(nanos.get(), next[0]));
        ran++;
        try {
          tasks.get((int) next[1]).run();
        } catch (RuntimeException e) {
          failures++;
        }
      }
      nanos.set(until);
    }
  }
}
