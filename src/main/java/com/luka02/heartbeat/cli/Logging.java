package com.luka02.heartbeat.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/** Switches logback to the agent's configuration, which adds the rolling file under the log folder. */
final class Logging {
  private Logging() {}

  static void configureAgent(Path logDir) {
    try {
      com.luka02.heartbeat.config.OwnerOnly.createDirectories(logDir);
    } catch (java.io.IOException e) {
      System.err.println("warning: cannot create the log folder " + logDir + ": " + e.getMessage());
    }
    // Under launchd stdout is a file nobody rotates: the log goes only to the rotated file there.
    configure((LoggerContext) LoggerFactory.getILoggerFactory(), logDir,
        !Supervisor.launchd(System.getenv(Supervisor.ENV)));
  }

  /** Applies logback-agent.xml to {@code ctx}; without {@code console}, nothing is logged to stdout. */
  static void configure(LoggerContext ctx, Path logDir, boolean console) {
    ctx.reset();
    ctx.putProperty("LOG_DIR", logDir.toString());
    ctx.putProperty("CONSOLE_THRESHOLD", console ? "TRACE" : "OFF");
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(ctx);
    URL xml = Logging.class.getResource("/logback-agent.xml");
    try {
      configurator.doConfigure(xml);
    } catch (JoranException e) {
      System.err.println("warning: cannot configure the log file under " + logDir + ": " + e.getMessage());
    }
  }
}
