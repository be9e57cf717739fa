package com.luka02.heartbeat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The commands' logging set up in code: found by logback, warnings and up on stderr, as the XML file did. */
class ConsoleLoggingTest {
  @Test
  void logbackFindsItAndItLogsWarningsToStandardError() {
    assertTrue(ServiceLoader.load(Configurator.class).stream().anyMatch(p -> p.type() == ConsoleLogging.class),
        "not registered in META-INF/services");
    LoggerContext ctx = new LoggerContext();
    assertEquals(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, new ConsoleLogging().configure(ctx));
    Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    assertEquals(System.getenv("HEARTBEAT_LOG_LEVEL") == null ? Level.WARN : Level.toLevel(System.getenv("HEARTBEAT_LOG_LEVEL")),
        root.getLevel());
    ConsoleAppender<?> stderr = (ConsoleAppender<?>) root.getAppender("STDERR");
    assertEquals("System.err", stderr.getTarget());
    assertTrue(stderr.isStarted());
    assertEquals(Level.WARN, ctx.getLogger("io.methvin").getLevel());
  }
}
