package com.luka02.heartbeat.watch;

import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryChangeListener;
import io.methvin.watcher.DirectoryWatcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Native file events for the reports tree: FSEvents on macOS, inotify on Linux, through
 * directory-watcher. Folders created later are watched too. File hashing is off: identity is ours,
 * and the default hasher would read the whole tree at start-up.
 *
 * <p>It can be armed again: when the reports folder is deleted the watch ends, and when it is
 * replaced (moved away, another made) the watch follows the old folder; {@link #rearmIfNeeded} notices
 * both and watches the folder that is there now.
 */
public final class ReportWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReportWatcher.class);

  /** Receives events on the watcher's thread; must return quickly. */
  public interface Listener {
    void changed(Path path);

    void deleted(Path path);

    /** Events were lost: everything must be looked at again. */
    void overflow();

    /** The watch ended by itself (the folder vanished, or the watcher failed): see {@link #rearmIfNeeded}. */
    default void stopped() {}
  }

  private final Path reportsDir;
  private final Listener listener;
  // Its own thread: the default, the common fork-join pool, would lose a worker to the blocking
  // event loop, and the catch-up's parallel streams share that pool.
  private final ExecutorService thread = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "file-watcher");
    t.setDaemon(true);
    return t;
  });
  private DirectoryWatcher watcher;
  private Object fileKey;
  private volatile CompletableFuture<Void> running;
  private volatile boolean closed;

  public ReportWatcher(Path reportsDir, Listener listener) {
    this.reportsDir = reportsDir;
    this.listener = listener;
  }

  /** Starts watching on a thread of its own; throws when the folder cannot be watched. */
  public synchronized void start() throws IOException {
    arm(Files.readAttributes(reportsDir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
  }

  /**
   * Watches the reports folder again when the watch has ended or the folder was replaced; returns
   * true when it did (events may have been missed meanwhile: the caller rescans).
   */
  public synchronized boolean rearmIfNeeded() {
    if (closed) {
      return false;
    }
    BasicFileAttributes attrs = stat(reportsDir);
    if (attrs == null || !attrs.isDirectory() || (isWatching() && Objects.equals(attrs.fileKey(), fileKey))) {
      return false;
    }
    closeWatcher();
    try {
      arm(attrs);
      log.info("watching {} again", reportsDir);
      return true;
    } catch (IOException e) {
      log.warn("cannot watch {} yet: {}", reportsDir, e.toString());
      return false;
    }
  }

  private void arm(BasicFileAttributes attrs) throws IOException {
    DirectoryWatcher w = DirectoryWatcher.builder()
        .path(reportsDir)
        .fileHashing(false)
        .listener(new Adapter())
        .build();
    watcher = w;
    fileKey = attrs.fileKey();
    // watchAsync registers every folder before it returns: nothing written after this is missed.
    CompletableFuture<Void> f = w.watchAsync(thread);
    running = f;
    f.whenComplete((v, e) -> ended(w, e));
  }

  private void ended(DirectoryWatcher w, Throwable e) {
    synchronized (this) {
      if (closed || w != watcher) {
        return; // closed on purpose, or replaced by a newer watch
      }
    }
    log.warn("the file watcher stopped{}; it watches {} again once the folder is there",
        e == null ? " (the folder went away)" : ": " + e, reportsDir);
    listener.stopped();
  }

  /** Translates directory-watcher's events; any failure inside its loop means events were lost. */
  private final class Adapter implements DirectoryChangeListener {
    @Override
    public void onEvent(DirectoryChangeEvent event) {
      switch (event.eventType()) {
        case CREATE, MODIFY -> listener.changed(event.path());
        case DELETE -> listener.deleted(event.path());
        case OVERFLOW -> lost("the kernel's event queue overflowed");
        default -> { }
      }
    }

    @Override
    public void onException(Exception e) {
      // directory-watcher 0.19.1 turns the JDK's OVERFLOW event (which has no path) into a
      // NullPointerException and hands it here, so an overflow arrives this way, not as OVERFLOW.
      // Whatever the failure, the event it was handling is gone.
      lost(e.toString());
    }
  }

  private void lost(String why) {
    log.warn("file events were lost ({}); a full rescan follows", why);
    listener.overflow();
  }

  /** True while a watch runs: from {@link #start} until it ends by {@link #close}, failure or the folder going away. */
  public boolean isWatching() {
    CompletableFuture<Void> r = running;
    return r != null && !r.isDone();
  }

  private void closeWatcher() {
    if (watcher != null) {
      try {
        watcher.close();
      } catch (IOException e) {
        log.debug("closing the previous watch: {}", e.toString());
      }
    }
  }

  private static BasicFileAttributes stat(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public synchronized void close() throws IOException {
    closed = true;
    try {
      if (watcher != null) {
        watcher.close();
      }
    } finally {
      thread.shutdownNow();
    }
  }
}
