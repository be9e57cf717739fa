package com.luka02.heartbeat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** A command's log line, written out, against logback's pattern layout for the same pattern. */
class ConsoleLayoutTest {
  /** The pattern the commands logged with before their layout was written out. */
  private static final String PATTERN = "%d{HH:mm:ss.SSSXXX} %-5level %logger{0} - %msg%n";

  @Test
  void aLineReadsAsThePatternLayoutWroteIt() {
    LoggerContext ctx = new LoggerContext();
    PatternLayout pattern = new PatternLayout();
    pattern.setContext(ctx);
    pattern.setPattern(PATTERN);
    pattern.start();
    ConsoleLayout layout = new ConsoleLayout();
    layout.setContext(ctx);
    layout.start();
    Exception nested = new UncheckedIOException("cannot read g/reports/x.md", new IOException("Permission denied"));
    Object[][] events = {
        {Level.WARN, "com.luka02.heartbeat.ingest.Ingester", "catch-up of {}: {}", new Object[] {"/r", "12 new"}, null},
        {Level.ERROR, "Main", "failed", new Object[0], nested},
        {Level.INFO, "com.luka02.heartbeat.store.Staging", "staged {} files: load {} ms", new Object[] {19, 4}, null},
        {Level.DEBUG, "io.methvin.watcher.DirectoryWatcher", "a message\nover two lines ü 🟢", new Object[0], null},
        {Level.TRACE, "x", "", new Object[0], new IllegalStateException()},
    };
    long at = 1_795_850_000_123L;
    for (Object[] e : events) {
      LoggingEvent event = new LoggingEvent("fqcn", ctx.getLogger((String) e[1]), (Level) e[0], (String) e[2],
          (Throwable) e[4], (Object[]) e[3]);
      event.setTimeStamp(at += 61_001);
      assertEquals(pattern.doLayout(event), layout.doLayout(event));
    }
  }
}
