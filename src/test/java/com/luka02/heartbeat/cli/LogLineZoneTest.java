package com.luka02.heartbeat.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A log line carries its UTC offset, so lines from before and after a DST change or a move read right. */
class LogLineZoneTest {
  @TempDir Path logs;

  @Test
  void theAgentsLogFileLines_carryTheirOffset() throws Exception {
    LoggerContext ctx = new LoggerContext(); // its own context: the tests' logging stays as it is
    ctx.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // a fresh context has none
    ctx.putProperty("LOG_DIR", logs.toString());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(ctx);
    configurator.doConfigure(LogLineZoneTest.class.getResource("/logback-agent.xml"));
    ctx.getLogger("com.luka02.heartbeat.Probe").info("a line");
    ctx.stop();

    String line = Files.readString(logs.resolve("heartbeat-ingester.log")).strip();
    assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) INFO .*a line"), line);
  }
}
