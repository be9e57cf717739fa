package com.luka02.heartbeat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The day in the life counts an idle agent's CPU per thread, in nanoseconds. */
class ThreadCpuTest {
  @Test
  void aThreadPresentTwiceCountsItsDifference_aNewOneWhole_anEndedOneNothing() {
    Map<String, Long> before = Map.of("1", 1_000L, "2", 5_000_000_000L, "3", 70L);
    Map<String, Long> after = Map.of("1", 1_500L, "3", 70L, "4", 200L);

    assertEquals(500 + 0 + 200, Measure.cpuNanosBetween(before, after));
  }

  @Test
  void readsEveryThreadOfARealProcessFromProc() {
    long pid = ProcessHandle.current().pid();
    Map<String, Long> first = Measure.threadCpuNanos(pid);
    // 50 ms of this thread's own CPU, however busy the machine: a spin for 50 ms of wall time got less
    // than 40 ms of CPU while other builds shared the two cores.
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long spin = threads.getCurrentThreadCpuTime() + 50_000_000L;
    long x = 0;
    while (threads.getCurrentThreadCpuTime() < spin) {
      x += x * 31 + 7;
    }
    Map<String, Long> second = Measure.threadCpuNanos(pid);

    assertFalse(first.isEmpty());
    assertTrue(first.containsKey(Long.toString(pid)), "the main thread's id is the process id");
    long counted = Measure.cpuNanosBetween(first, second);
    assertTrue(counted >= 50_000_000L, "50 ms of spinning, counted as " + counted + " ns (" + x + ")");
    assertTrue(Measure.threadCpuNanos(Long.MAX_VALUE).isEmpty(), "no such process");
  }
}
