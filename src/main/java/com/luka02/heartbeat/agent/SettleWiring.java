package com.luka02.heartbeat.agent;

import com.luka02.heartbeat.ingest.Ingester;
import com.luka02.heartbeat.ingest.Outcome;
import com.luka02.heartbeat.watch.SettleQueue;
import com.luka02.heartbeat.watch.SettleRouter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of the {@link SettleRouter}: settled files go to the ingester, and once the files
 * too young to judge at start-up have all settled, the rollover looks again. Writer thread only.
 */
final class SettleWiring implements SettleRouter.Stager, SettleRouter.Owner {
  private static final Logger log = LoggerFactory.getLogger(SettleWiring.class);

  private final Ingester ingester;
  private final SettleQueue settling;
  private final BooleanSupplier closing;
  private final Consumer<Path> folderArrived;
  private final Runnable youngSettled;
  /**
   * Files the start-up catch-up found too young to judge. The start-up rollover runs before they
   * settle, so once the last of them has, the rollover looks again; otherwise their finished days
   * would wait for the next scheduled run.
   */
  private final Set<Path> youngAtStart = new HashSet<>();

  /** Settled files staged together: the same bound as a catch-up's batch. */
  static final int CHUNK = 1024;

  SettleWiring(Ingester ingester, SettleQueue settling, BooleanSupplier closing, Consumer<Path> folderArrived,
      Runnable youngSettled) {
    this.ingester = ingester;
    this.settling = settling;
    this.closing = closing;
    this.folderArrived = folderArrived;
    this.youngSettled = youngSettled;
  }

  /** A file the start-up catch-up found too young to judge. */
  void youngAtStart(Path path) {
    youngAtStart.add(path);
  }

  /**
   * All but the files the ingester could not judge yet leave the queue. Staged {@link #CHUNK} at a
   * time: a tree copied in whole (every file young at start-up) must not be read into memory at once.
   */
  @Override
  public Set<Path> stage(List<Path> paths, boolean finalAttempt) {
    Set<Path> done = new HashSet<>();
    for (int from = 0; from < paths.size(); from += CHUNK) {
      ingester.ingest(paths.subList(from, Math.min(paths.size(), from + CHUNK)), finalAttempt).forEach((path, outcome) -> {
        if (!(outcome instanceof Outcome.NotReady)) {
          done.add(path);
        }
      });
    }
    return done;
  }

  @Override
  public void forget(List<Path> paths) {
    ingester.forget(paths);
  }

  @Override
  public boolean closing() {
    return closing.getAsBoolean();
  }

  @Override
  public void folderArrived(Path folder) {
    folderArrived.accept(folder);
  }

  @Override
  public void settled() {
    if (youngAtStart.isEmpty()) {
      return;
    }
    youngAtStart.removeIf(p -> !settling.contains(p));
    if (youngAtStart.isEmpty()) {
      log.info("the reports too young to stage at start-up have settled; checking for finished days to export");
      youngSettled.run();
    }
  }
}
