package com.luka02.heartbeat.security;

import com.luka02.heartbeat.agent.Agent;
import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.ingest.CatchupOptions;
import com.luka02.heartbeat.store.StateKey;
import com.luka02.heartbeat.testing.MutableClock;
import com.luka02.heartbeat.fixtures.ReportText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real agent on a temporary tree with a morning of staged reports, and a fingerprint of everything
 * an attacker could change through it: the staged rows (a catch-up with reparse rewrites
 * {@code ingested_at}), the export ledger, the rollover state, and the Parquet and summary files.
 * The clock moves on after the set-up, so that any work done later leaves a new timestamp.
 */
final class AttackedAgent implements AutoCloseable {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  /** The day whose reports are staged; {@code POST /rollover?date=} of it exports it. */
  static final LocalDate TODAY = LocalDate.ofInstant(NOW, ZoneOffset.UTC);

  final MutableClock clock;
  final Config config;
  final Agent agent;

  private AttackedAgent(MutableClock clock, Config config, Agent agent) {
    this.clock = clock;
    this.config = config;
    this.agent = agent;
  }

  /** Starts the agent on {@code root} with {@code extraConfig} appended to its JSON config. */
  static AttackedAgent start(Path root, String extraConfig) throws IOException {
    Path cfg = root.resolve("config.json");
    Files.writeString(cfg, "{\"zone\": \"UTC\", \"port\": 0" + extraConfig + "}");
    Config config = ConfigLoader.load(root, cfg);
    Path dir = config.reportsDir().resolve("ops_atomic");
    for (Instant t = NOW.minus(Duration.ofHours(4)); t.isBefore(NOW); t = t.plusSeconds(300)) {
      // Written when the report says, by the agent's clock: none is too young for the start-up
      // scan, so no settling of young files (and the rollover look that follows it) runs later.
      Files.setLastModifiedTime(ReportText.write(dir, t), FileTime.from(t.plusSeconds(1)));
    }
    MutableClock clock = new MutableClock(NOW);
    Agent agent = Agent.start(config, clock, 0);
    agent.catchup(CatchupOptions.FULL);
    clock.advance(Duration.ofHours(1));
    return new AttackedAgent(clock, config, agent);
  }

  int port() {
    return agent.port();
  }

  /** Everything a request could have changed, as text: equal before and after means no effect. */
  String effects() throws IOException {
    return rows("SELECT count(*), max(ingested_at), (SELECT max(seen_at) FROM seen_files) FROM heartbeats")
        + rows("SELECT day, row_count, exported_at FROM exports ORDER BY day")
        + rows("SELECT key, value, updated_at FROM agent_state WHERE key <> '" + StateKey.AGENT_ALIVE_AT.key() + "' ORDER BY key")
        + files(config.parquetDir(), ".parquet") + files(config.summaryDir(), ".md");
  }

  private String rows(String sql) {
    return agent.query(sql).rows() + "\n";
  }

  private static String files(Path dir, String suffix) throws IOException {
    if (!Files.isDirectory(dir)) {
      return "[]\n";
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).map(Path::toString).sorted()
          .collect(Collectors.joining(", ", "[", "]\n"));
    }
  }

  @Override
  public void close() {
    agent.close();
  }
}
