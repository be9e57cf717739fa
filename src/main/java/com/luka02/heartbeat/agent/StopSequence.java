package com.luka02.heartbeat.agent;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's stop, step by step: a step that throws is logged and the next one runs, so that one
 * failure cannot leave the root locked; the first {@link Error} is rethrown once every step has run.
 */
final class StopSequence {
  private static final Logger log = LoggerFactory.getLogger(StopSequence.class);

  /** One step; it may throw anything. */
  interface Step {
    void run() throws Exception;
  }

  private final Consumer<String> beforeEach;
  private Error error;

  /** {@code beforeEach} is told each step's name before it runs: a seam for tests to fail one. */
  StopSequence(Consumer<String> beforeEach) {
    this.beforeEach = beforeEach;
  }

  /** Runs {@code step} when {@code needed}, and carries on whatever it throws. */
  StopSequence then(String what, boolean needed, Step step) {
    if (!needed) {
      return this;
    }
    try {
      beforeEach.accept(what);
      step.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("stopping: {} was interrupted", what);
    } catch (Exception e) {
      log.warn("stopping: {} failed: {}", what, e.toString());
    } catch (Error e) {
      log.error("stopping: {} failed: {}", what, e.toString(), e);
      if (error == null) {
        error = e;
      }
    }
    return this;
  }

  /** Rethrows the first Error a step threw, if any. */
  void rethrowError() {
    if (error != null) {
      throw error;
    }
  }
}
