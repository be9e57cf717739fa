package com.luka02.heartbeat.watch;

import com.luka02.heartbeat.report.ReportParser;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Routes the watcher's events through the {@link SettleQueue} to staging: a changed heartbeat waits
 * until it holds still, a deleted one is forgotten, and staging that fails is tried again after a
 * pause that grows. Everything but the two event methods runs on the agent's writer thread, which
 * also owns the queue.
 */
public final class SettleRouter {
  static final Duration RETRY_FIRST = Duration.ofSeconds(1);
  static final Duration RETRY_MAX = Duration.ofMinutes(1);

  /** Where settled files go. */
  public interface Stager {
    /** Stages {@code paths}; returns those done with (staged, quarantined or gone), the rest stay queued. */
    Set<Path> stage(List<Path> paths, boolean finalAttempt);

    /** Forgets files that were deleted. */
    void forget(List<Path> paths);
  }

  /** The writer thread, as the router uses it. */
  public interface Writer {
    /** Runs {@code task} on the writer soon; drops it when the writer is stopping. */
    void execute(String what, Runnable task);

    /** Runs {@code task} on the writer after {@code delay}; false when the writer is stopping. */
    boolean schedule(String what, Runnable task, Duration delay);
  }

  /** What the router tells its owner, or asks of it. */
  public interface Owner {
    /** True once stopping: files still settling are left to the next start's catch-up. */
    boolean closing();

    /** A folder moved or copied in arrives whole, its files raising no events of their own. */
    void folderArrived(Path folder);

    /** On the writer, after settled files were staged or deleted ones forgotten. */
    void settled();
  }

  private final SettleQueue queue;
  private final Path ignored;
  private final Writer writer;
  private final Stager stager;
  private final Owner owner;
  private final AtomicBoolean checkScheduled = new AtomicBoolean();
  /** Writer only: how long to wait before staging settled files again after a failure. */
  private Duration backoff = Duration.ZERO;

  /** Files under {@code ignored} (the agent's own summaries) are never heartbeats. */
  public SettleRouter(SettleQueue queue, Path ignored, Writer writer, Stager stager, Owner owner) {
    this.queue = queue;
    this.ignored = ignored;
    this.writer = writer;
    this.stager = stager;
    this.owner = owner;
  }

  /** The watcher's listener: changes and deletions come here, lost events and an ended watch go to the two given. */
  public ReportWatcher.Listener listener(Runnable overflow, Runnable stopped) {
    return new ReportWatcher.Listener() {
      @Override
      public void changed(Path path) {
        SettleRouter.this.changed(path);
      }

      @Override
      public void deleted(Path path) {
        SettleRouter.this.deleted(path);
      }

      @Override
      public void overflow() {
        overflow.run();
      }

      @Override
      public void stopped() {
        stopped.run();
      }
    };
  }

  /** The watcher saw {@code path} change; any thread. */
  public void changed(Path path) {
    if (owner.closing() || path.startsWith(ignored)) {
      return;
    }
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      owner.folderArrived(path);
      return;
    }
    if (!ReportParser.isHeartbeatName(path.getFileName().toString())) {
      return;
    }
    writer.execute("note " + path, () -> {
      queue.touch(path);
      scheduleCheck();
    });
  }

  /** The watcher saw {@code path} deleted; any thread. */
  public void deleted(Path path) {
    if (owner.closing() || !ReportParser.isHeartbeatName(path.getFileName().toString())) {
      return;
    }
    writer.execute("forget " + path, () -> {
      queue.remove(path);
      stager.forget(List.of(path));
      owner.settled();
    });
  }

  /** On the writer: looks at the queue again when it next could have settled files, unless a look is due. */
  public void scheduleCheck() {
    if (owner.closing() || queue.isEmpty() || !checkScheduled.compareAndSet(false, true)) {
      return;
    }
    Duration delay = queue.nextCheckIn().compareTo(backoff) > 0 ? queue.nextCheckIn() : backoff;
    if (!writer.schedule("settle", this::check, delay)) {
      checkScheduled.set(false); // stopping: the next start's catch-up takes these files
    }
  }

  private void check() {
    checkScheduled.set(false);
    try {
      stageSettled();
      backoff = Duration.ZERO;
    } catch (RuntimeException e) {
      // The files stay queued: try again without a new event, pausing longer each time (a full
      // disk may take a while to free) rather than spinning on the writer.
      backoff = longerBackoff(backoff);
      throw e;
    } finally {
      scheduleCheck();
    }
  }

  private void stageSettled() {
    List<SettleQueue.Settled> ready = queue.settled();
    if (ready.isEmpty()) {
      return;
    }
    List<Path> finals = ready.stream().filter(SettleQueue.Settled::finalAttempt).map(SettleQueue.Settled::path).toList();
    List<Path> tentative = ready.stream().filter(s -> !s.finalAttempt()).map(SettleQueue.Settled::path).toList();
    stager.stage(finals, true).forEach(queue::remove);
    stager.stage(tentative, false).forEach(queue::remove);
    owner.settled();
  }

  /** One second after a first failure, then twice as long each time, at most a minute. */
  static Duration longerBackoff(Duration last) {
    Duration next = last.isZero() ? RETRY_FIRST : last.multipliedBy(2);
    return next.compareTo(RETRY_MAX) > 0 ? RETRY_MAX : next;
  }
}
