package com.luka02.heartbeat.watch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real watcher on a real folder: lost events are reported, and the watch comes back with its folder. */
class ReportWatcherTest {
  private static final long WAIT_S = 20;

  @TempDir Path root;

  /** Records what the watcher says; {@code stall} holds the watcher's thread at the first change. */
  private static final class Recorder implements ReportWatcher.Listener {
    final BlockingQueue<Path> changed = new LinkedBlockingQueue<>();
    final CountDownLatch overflowed = new CountDownLatch(1);
    final CountDownLatch stopped = new CountDownLatch(1);
    final CountDownLatch stalled = new CountDownLatch(1);
    final CountDownLatch stall;

    Recorder(CountDownLatch stall) {
      this.stall = stall;
    }

    @Override
    public void changed(Path path) {
      stalled.countDown();
      try {
        stall.await(WAIT_S, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      changed.add(path);
    }

    @Override
    public void deleted(Path path) {}

    @Override
    public void overflow() {
      overflowed.countDown();
    }

    @Override
    public void stopped() {
      stopped.countDown();
    }
  }

  @Test
  void eventsLostWhileTheListenerLagsAreReportedAsOverflow() throws Exception {
    Path dir = Files.createDirectories(root.resolve("reports"));
    CountDownLatch release = new CountDownLatch(1);
    Recorder r = new Recorder(release);
    try (ReportWatcher w = new ReportWatcher(dir, r)) {
      w.start();
      Files.writeString(dir.resolve("first.md"), "x");
      assertTrue(r.stalled.await(WAIT_S, TimeUnit.SECONDS), "no first event");
      // The JDK keeps at most 512 events per folder for a consumer that is behind, then signals OVERFLOW.
      for (int i = 0; i < 1500; i++) {
        Files.writeString(dir.resolve("burst_" + i + ".md"), "x");
      }
      release.countDown();

      assertTrue(r.overflowed.await(WAIT_S, TimeUnit.SECONDS), "the lost events were not reported");
      assertTrue(w.isWatching(), "the watch goes on after an overflow");
    }
  }

  @Test
  void watchEndsWithItsFolderAndResumesWhenItIsBack() throws Exception {
    Path dir = Files.createDirectories(root.resolve("reports/ops_atomic")).getParent();
    Recorder r = new Recorder(new CountDownLatch(0));
    try (ReportWatcher w = new ReportWatcher(dir, r)) {
      w.start();
      deleteTree(dir);
      assertTrue(r.stopped.await(WAIT_S, TimeUnit.SECONDS), "the watch did not notice its folder went away");
      assertFalse(w.isWatching());
      assertFalse(w.rearmIfNeeded(), "nothing to watch yet");

      Files.createDirectories(dir);
      assertTrue(w.rearmIfNeeded());
      Path file = Files.writeString(dir.resolve("heartbeat_2026-11-27_10-00-00.md"), "x");

      assertTrue(file.equals(r.changed.poll(WAIT_S, TimeUnit.SECONDS)), "no event from the folder made again");
      assertTrue(w.isWatching());
      assertFalse(w.rearmIfNeeded(), "already watching the folder that is there");
    }
  }

  @Test
  void folderReplacedByAnotherIsWatchedAgain() throws Exception {
    Path dir = Files.createDirectories(root.resolve("reports"));
    Recorder r = new Recorder(new CountDownLatch(0));
    try (ReportWatcher w = new ReportWatcher(dir, r)) {
      w.start();
      Files.move(dir, root.resolve("reports-old"));
      Files.createDirectories(dir);

      assertTrue(w.rearmIfNeeded(), "the watch follows the moved folder until re-armed");
      Path file = Files.writeString(dir.resolve("heartbeat_2026-11-27_10-00-00.md"), "x");
      assertTrue(file.equals(r.changed.poll(WAIT_S, TimeUnit.SECONDS)));
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var all = Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
