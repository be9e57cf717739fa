package com.luka02.heartbeat.agent;

import com.luka02.heartbeat.watch.SettleRouter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's one writer thread: every write to the store runs on it. A task that throws an
 * exception is logged and runs again next time; one that throws an {@link Error} is handed to
 * {@code fatal}, because a JVM out of memory or missing a class is in no state to carry on.
 */
final class WriterThread implements SettleRouter.Writer {
  private static final Logger log = LoggerFactory.getLogger(WriterThread.class);
  private static final Duration REQUEST_WAIT = Duration.ofMinutes(5);

  private final ScheduledExecutorService executor;
  private final Consumer<Error> fatal;
  private final ObjLongConsumer<String> cpuSpent;

  /** {@code cpuSpent} is told the writer's CPU time for each run of a repeated task, for the metrics. */
  WriterThread(Consumer<Error> fatal, ObjLongConsumer<String> cpuSpent) {
    this.fatal = fatal;
    this.cpuSpent = cpuSpent;
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "writer");
      t.setDaemon(false);
      return t;
    });
  }

  /** Runs {@code task} on the writer and waits for its answer, for a request. */
  <T> T call(Callable<T> task) {
    try {
      return executor.submit(task).get(REQUEST_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error error) {
        fatal.accept(error);
      }
      throw new IllegalStateException(cause.getMessage(), cause);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the agent is busy; try again later");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }

  /** Hands an event's work to the writer; once the agent stops, the next start's catch-up covers it. */
  @Override
  public void execute(String what, Runnable task) {
    try {
      executor.execute(guarded(what, task));
    } catch (RejectedExecutionException e) {
      log.debug("{}: left to the next start, the agent is stopping", what);
    }
  }

  @Override
  public boolean schedule(String what, Runnable task, Duration delay) {
    try {
      executor.schedule(guarded(what, task), delay.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  /** Runs {@code task} after {@code first}, then {@code every} after each run ends, counting its CPU time. */
  void repeat(String what, Runnable task, Duration first, Duration every) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Runnable timed = () -> {
      long start = threads.getCurrentThreadCpuTime();
      try {
        task.run();
      } finally {
        cpuSpent.accept(what, threads.getCurrentThreadCpuTime() - start);
      }
    };
    executor.scheduleWithFixedDelay(guarded(what, timed), first.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * A scheduled task that throws is cancelled silently by the executor: an exception is logged and
   * the task carries on; an Error goes to {@code fatal} and on up, ending the task.
   */
  Runnable guarded(String what, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.error("{} failed; will try again: {}", what, e.toString(), e);
      } catch (Error e) {
        log.error("{} failed: {}", what, e.toString(), e);
        fatal.accept(e);
        throw e;
      }
    };
  }

  /** Lets the task in flight finish, for {@code wait} at most, and runs no other. */
  void stop(Duration wait) throws InterruptedException {
    executor.shutdown();
    if (!executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
      log.warn("the writer did not finish within {} s; stopping it", wait.toSeconds());
      executor.shutdownNow();
    }
  }
}
