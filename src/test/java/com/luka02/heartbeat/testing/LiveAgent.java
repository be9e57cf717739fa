package com.luka02.heartbeat.testing;

import com.luka02.heartbeat.agent.Agent;
import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A real agent in this JVM on {@code root}, with the real watcher and loopback HTTP, started from a
 * JSON config; every staged path, and {@code quarantined:<path>} for every quarantined one, is put
 * on {@link #staged} as its transaction commits.
 */
public record LiveAgent(Config config, Agent agent, BlockingQueue<String> staged) {
  /** Writes {@code configJson} to {@code root/config.json} and starts the agent on the wall clock. */
  public static LiveAgent start(Path root, String configJson) throws IOException {
    Path cfg = root.resolve("config.json");
    Files.writeString(cfg, configJson);
    Config config = ConfigLoader.load(root, cfg);
    Agent agent = Agent.start(config, Clock.systemUTC(), 0);
    BlockingQueue<String> staged = new LinkedBlockingQueue<>();
    agent.addStageListener((files, bad, counts) -> {
      files.forEach(f -> staged.add(f.path()));
      bad.forEach(q -> staged.add("quarantined:" + q.path()));
    });
    return new LiveAgent(config, agent, staged);
  }
}
