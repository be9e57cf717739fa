package com.luka02.heartbeat.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** The machine the figures come from: cores, memory, Java, file system and load, in the results' header. */
final class Machine {
  private Machine() {}

  static void describe(Bench bench) throws Exception {
    Results results = bench.results;
    ObjectNode m = results.section("machine");
    int nproc = Runtime.getRuntime().availableProcessors();
    String cpu = firstValue(Path.of("/proc/cpuinfo"), "model name");
    String memKb = firstValue(Path.of("/proc/meminfo"), "MemTotal").replace("kB", "").trim();
    double memGib = memKb.isEmpty() ? 0 : Long.parseLong(memKb) / 1024.0 / 1024.0;
    Measure.Run v = Measure.run("java-version", List.of(bench.javaExe.toString(), "-version"), bench.work, bench.logs,
        Duration.ofMinutes(1));
    String javaVersion = Files.readString(v.stderr(), StandardCharsets.UTF_8).strip();
    String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
    String fs = Files.getFileStore(bench.work).type();
    m.put("nproc", nproc);
    m.put("cpu", cpu);
    m.put("memoryGiB", memGib);
    m.put("java", javaVersion);
    m.put("os", os);
    m.put("filesystem", fs);
    m.put("loadAverageAtStart", loadAverage());
    results.header("heartbeat-ingester bench, " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
    results.header("machine: %d × %s, %.1f GiB, %s, work on %s".formatted(nproc, cpu, memGib, os, fs));
    results.header("java:    " + javaVersion.replace('\n', ';'));
    results.header("load:    " + loadAverage() + " (/proc/loadavg at start; anything else running skews every figure)");
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  private static String firstValue(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(key)) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
    return "unknown";
  }
}
