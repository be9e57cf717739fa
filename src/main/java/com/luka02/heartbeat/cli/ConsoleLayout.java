package com.luka02.heartbeat.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * A command's log line, {@code HH:mm:ss.SSSXXX LEVEL Logger - message} and any exception's trace below:
 * what the pattern {@code %d{HH:mm:ss.SSSXXX} %-5level %logger{0} - %msg%n} gives, written out. Logback's
 * pattern layout registers some fifty converters when first used, each through a lambda: 50-60 ms of
 * every command's start, on the thread that runs it.
 */
final class ConsoleLayout extends LayoutBase<ILoggingEvent> {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSXXX");
  private final ZoneId zone = ZoneId.systemDefault();

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(128);
    TIME.formatTo(Instant.ofEpochMilli(event.getTimeStamp()).atZone(zone), line);
    String level = event.getLevel().toString();
    line.append(' ').append(level).append(" ".repeat(Math.max(0, 5 - level.length()))).append(' ');
    String logger = event.getLoggerName();
    line.append(logger, logger.lastIndexOf('.') + 1, logger.length()).append(" - ")
        .append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      line.append(ThrowableProxyUtil.asString(thrown)); // a line each, the last one ended too
    }
    return line.toString();
  }
}
