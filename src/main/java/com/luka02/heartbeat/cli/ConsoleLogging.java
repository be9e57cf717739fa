package com.luka02.heartbeat.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;

/**
 * The commands' logging, set up in code: warnings and errors (or {@code HEARTBEAT_LOG_LEVEL}) on
 * stderr, results alone on stdout. Logback finds it through {@code META-INF/services} before it would
 * look for an XML file; parsing one costs a one-shot command a few hundred milliseconds of start-up.
 * {@code run} still switches to {@code logback-agent.xml} (see {@link Logging}).
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class ConsoleLogging extends ContextAwareBase implements Configurator {
  @Override
  public ExecutionStatus configure(LoggerContext ctx) {
    ctx.getStatusManager().add(new NopStatusListener());
    ConsoleLayout layout = new ConsoleLayout();
    layout.setContext(ctx);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(ctx);
    encoder.setLayout(layout);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(ctx);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(System.getenv("HEARTBEAT_LOG_LEVEL"), Level.WARN));
    root.addAppender(stderr);
    ctx.getLogger("io.methvin").setLevel(Level.WARN);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
