package com.luka02.heartbeat.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Switches logback to the agent's configuration, which adds the rolling file under the log folder. */
final class Logging {
  private Logging() {}

  /**
   * Configures the agent's logging; returns a warning when the log file cannot be written (the log
   * then goes to the console only), else null.
   */
  static String configureAgent(Path logDir) {
    try {
      com.luka02.heartbeat.config.OwnerOnly.createDirectories(logDir);
    } catch (java.io.IOException e) {
      System.err.println("warning: cannot create the log folder " + logDir + ": " + e.getMessage());
    }
    // Under launchd stdout is a file nobody rotates: the log goes only to the rotated file there.
    return configure((LoggerContext) LoggerFactory.getILoggerFactory(), logDir,
        !Supervisor.launchd(System.getenv(Supervisor.ENV)));
  }

  /** Applies logback-agent.xml to {@code ctx}; without {@code console}, nothing is logged to stdout. */
  static String configure(LoggerContext ctx, Path logDir, boolean console) {
    ctx.reset();
    ctx.putProperty("LOG_DIR", logDir.toString());
    ctx.putProperty("CONSOLE_THRESHOLD", console ? "TRACE" : "OFF");
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(ctx);
    URL xml = Logging.class.getResource("/logback-agent.xml");
    try {
      configurator.doConfigure(xml);
    } catch (JoranException e) {
      return warn("cannot configure the log file under " + logDir + ": " + e.getMessage());
    }
    Appender<ILoggingEvent> file = ctx.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("FILE");
    if (file == null || !file.isStarted()) {
      // logback drops the file silently when it cannot open it: say so, once, where it is seen.
      Path log = logDir.resolve("heartbeat-ingester.log");
      return warn("the log file " + log + " cannot be written (" + why(logDir) + "); logging to the console only");
    }
    return null;
  }

  private static String warn(String warning) {
    System.err.println("warning: " + warning);
    return warning;
  }

  private static String why(Path logDir) {
    Path existing = logDir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return "no such folder";
    }
    if (!Files.isDirectory(existing)) {
      return existing + " is not a folder";
    }
    return Files.isWritable(existing) ? "cannot open it" : existing + " is not writable";
  }
}
