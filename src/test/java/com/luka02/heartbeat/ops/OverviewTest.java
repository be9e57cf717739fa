package com.luka02.heartbeat.ops;

import com.luka02.heartbeat.report.Status;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.luka02.heartbeat.ops.Overview.MonitoredState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The monitored system's badge follows the newest report and the alerts, never the agent's own health. */
class OverviewTest {
  private static final Instant T = Instant.parse("2026-11-20T10:00:00Z");
  private static final Alerts.State QUIET = new Alerts.State(false, null, null);

  @Test
  void newestReportDecides_whenNoSilence() {
    assertEquals(MonitoredState.CRITICAL, Overview.state(QUIET, Status.ERROR));
    assertEquals(MonitoredState.WARNINGS, Overview.state(QUIET, Status.WARN));
    assertEquals(MonitoredState.HEALTHY, Overview.state(QUIET, Status.OK));
    assertEquals(MonitoredState.NO_REPORTS, Overview.state(QUIET, null));
  }

  @Test
  void anOpenSilenceAlert_outranksAHealthyLastReport() {
    assertEquals(MonitoredState.SILENT, Overview.state(new Alerts.State(true, T, null), Status.OK));
  }
}
