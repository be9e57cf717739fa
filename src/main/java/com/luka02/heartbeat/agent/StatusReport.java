package com.luka02.heartbeat.agent;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.store.HistorySpan;
import com.luka02.heartbeat.store.StoreReader;
import com.luka02.heartbeat.store.StoreStats;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** What {@code status} shows; the same whether an agent answers or the store is opened directly. */
public record StatusReport(
    boolean agentUp,
    Long pid,
    Long uptimeSeconds,
    Integer port,
    String root,
    String reportsDir,
    long rowsToday,
    long rowsTotal,
    String lastReport,
    long quarantined,
    String lastRollover,
    String nextRollover,
    String lastRolloverError,
    String stagedDays,
    String parquetOnlyDays,
    String zone,
    String exportHookProblem) {

  /** Times are shown in the configured zone with their offset, so a reader never converts UTC by hand. */
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx");

  static StatusReport of(Config config, StoreReader store, AgentInfo agent, Instant now, Instant nextRollover) {
    StoreStats s = store.stats(LocalDate.ofInstant(now, config.zone()));
    HistorySpan h = store.historySpan();
    ZoneId z = config.zone();
    return new StatusReport(
        agent != null,
        agent == null ? null : agent.pid(),
        agent == null ? null : Duration.between(agent.started(), now).toSeconds(),
        agent == null ? null : agent.port(),
        config.root().toString(),
        config.reportsDir().toString(),
        s.rowsToday(),
        s.rowsTotal(),
        text(s.lastReport(), z),
        s.quarantined(),
        text(s.lastExportAt(), z),
        text(nextRollover, z),
        s.lastRolloverError(),
        h.describeStaged(),
        h.describeParquetOnly(),
        z.getId(),
        null);
  }

  /** This report with the {@code onExport} hook's unresolved problem, or null for none. */
  StatusReport withExportHookProblem(String problem) {
    return new StatusReport(agentUp, pid, uptimeSeconds, port, root, reportsDir, rowsToday, rowsTotal, lastReport,
        quarantined, lastRollover, nextRollover, lastRolloverError, stagedDays, parquetOnlyDays, zone, problem);
  }

  static String text(Instant t, ZoneId zone) {
    return t == null ? null : LOCAL.format(t.atZone(zone));
  }

  /** The lines {@code status} prints. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("agent:           ").append(agentUp ? "up, pid " + pid + ", port " + port + ", uptime "
        + formatUptime(uptimeSeconds) : "down").append('\n');
    sb.append("root:            ").append(root).append('\n');
    sb.append("watching:        ").append(reportsDir).append('\n');
    sb.append("zone:            ").append(zone).append('\n');
    sb.append("rows today:      ").append(rowsToday).append('\n');
    sb.append("rows staged:     ").append(rowsTotal).append('\n');
    sb.append("days staged:     ").append(stagedDays).append(" (table heartbeats)\n");
    sb.append("only in Parquet: ").append(parquetOnlyDays).append(" (pruned; all_heartbeats reads them)\n");
    sb.append("last report:     ").append(orNone(lastReport)).append('\n');
    sb.append("quarantined:     ").append(quarantined).append('\n');
    sb.append("last rollover:   ").append(orNone(lastRollover)).append('\n');
    sb.append("next rollover:   ").append(orNone(nextRollover)).append('\n');
    if (lastRolloverError != null) {
      sb.append("rollover error:  ").append(lastRolloverError).append('\n');
    }
    if (exportHookProblem != null) {
      sb.append("export hook:     ").append(exportHookProblem).append('\n');
    }
    return sb.toString();
  }

  private static String orNone(String s) {
    return s == null ? "none" : s;
  }

  private static String formatUptime(Long seconds) {
    long s = seconds == null ? 0 : seconds;
    return "%dd %02dh %02dm %02ds".formatted(s / 86400, s / 3600 % 24, s / 60 % 60, s % 60);
  }
}
