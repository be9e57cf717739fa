package com.luka02.heartbeat.ops;

import com.luka02.heartbeat.report.Status;
import com.luka02.heartbeat.store.QuarantineRow;
import com.luka02.heartbeat.store.ReportRow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The head of the status page: the agent's own health kept apart from the state of the system it
 * monitors, so a healthy agent never makes a CRITICAL or silent monitor look fine.
 */
final class Overview {
  private Overview() {}

  /** What the monitored system's badge says. */
  enum MonitoredState { HEALTHY, WARNINGS, CRITICAL, SILENT, NO_REPORTS }

  /**
   * @param latest the newest report, or null when there is none
   * @param statusSince when the newest report's status began (the first of the run of reports saying it)
   * @param quarantine the newest quarantine entries (as {@code StagingStore.quarantineList})
   */
  static Map<String, Object> of(Health.Report agent, Alerts.State alerts, ReportRow latest, Instant statusSince,
      List<QuarantineRow> quarantine, long quarantineTotal, ZoneId zone, Instant now) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("zone", zone.getId());
    out.put("offset", zone.getRules().getOffset(now).getId());
    out.put("now", now);
    out.put("agent", agent);
    Map<String, Object> monitored = monitored(alerts, latest, now);
    monitored.put("statusSince", statusSince);
    out.put("monitored", monitored);
    out.put("quarantineTotal", quarantineTotal);
    out.put("quarantine", quarantine);
    return out;
  }

  private static Map<String, Object> monitored(Alerts.State alerts, ReportRow latest, Instant now) {
    Map<String, Object> m = new LinkedHashMap<>();
    Instant last = latest == null ? null : latest.at();
    Status status = latest == null ? null : latest.status();
    m.put("state", state(alerts, status).name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
    m.put("lastReport", last);
    m.put("lastReportStatus", status);
    m.put("lastReportAgoSeconds", last == null ? null : Math.max(0, Duration.between(last, now).toSeconds()));
    m.put("silenceAlert", alert(alerts.silenceOpen(), alerts.silentSince()));
    m.put("criticalAlert", alert(alerts.criticalSince() != null, alerts.criticalSince()));
    return m;
  }

  static MonitoredState state(Alerts.State alerts, Status lastStatus) {
    if (alerts.silenceOpen()) {
      return MonitoredState.SILENT;
    }
    if (lastStatus == null) {
      return MonitoredState.NO_REPORTS;
    }
    return switch (lastStatus) {
      case ERROR -> MonitoredState.CRITICAL;
      case WARN -> MonitoredState.WARNINGS;
      case OK, SKIPPED -> MonitoredState.HEALTHY;
    };
  }

  private static Map<String, Object> alert(boolean open, Instant since) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("open", open);
    a.put("since", open ? since : null);
    return a;
  }
}
