package com.luka02.heartbeat.watch;

import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryWatcher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Native file events for the reports tree: FSEvents on macOS, inotify on Linux, through
 * directory-watcher. Folders created later are watched too. File hashing is off: identity is ours,
 * and the default hasher would read the whole tree at start-up.
 */
public final class ReportWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReportWatcher.class);

  /** Receives events on the watcher's thread; must return quickly. */
  public interface Listener {
    void changed(Path path);

    void deleted(Path path);

    /** Events were lost: everything must be looked at again. */
    void overflow();
  }

  private final DirectoryWatcher watcher;
  private volatile CompletableFuture<Void> running;

  public ReportWatcher(Path reportsDir, Listener listener) throws IOException {
    this.watcher = DirectoryWatcher.builder()
        .path(reportsDir)
        .fileHashing(false)
        .listener(event -> dispatch(event, listener))
        .build();
  }

  private static void dispatch(DirectoryChangeEvent event, Listener listener) {
    switch (event.eventType()) {
      case CREATE, MODIFY -> listener.changed(event.path());
      case DELETE -> listener.deleted(event.path());
      case OVERFLOW -> {
        log.warn("file events overflowed; a full reconcile follows");
        listener.overflow();
      }
      default -> { }
    }
  }

  /** Starts watching on a thread of directory-watcher's own. */
  public void start() {
    running = watcher.watchAsync();
    running.whenComplete((v, e) -> {
      if (e != null) {
        log.error("the file watcher stopped: {}", e.toString());
      }
    });
  }

  /** True from {@link #start} until the watcher stops, by {@link #close} or by failing. */
  public boolean isWatching() {
    return running != null && !running.isDone();
  }

  @Override
  public void close() throws IOException {
    watcher.close();
  }
}
