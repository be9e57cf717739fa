package com.luka02.heartbeat.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The agent as a child JVM, as launchd or systemd would run it, with its output as a queue of lines. */
public final class AgentProcess implements AutoCloseable {
  private static final String EOF = "\u0000<end of output>";
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> transcript = new ArrayList<>();

  private AgentProcess(Process process) {
    this.process = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          lines.add(line);
          synchronized (transcript) {
            transcript.add(line);
          }
        }
      } catch (IOException e) {
        transcript.add("<output failed: " + e + ">");
      }
      lines.add(EOF);
    }, "agent-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code Main} with {@code args} on the test class path. */
  public static AgentProcess start(Path workDir, String... args) throws IOException {
    return start(List.of("-Xmx256m"), workDir, args);
  }

  /** As {@link #start(Path, String...)}, with these JVM options (none: started plainly). */
  public static AgentProcess start(List<String> jvmOptions, Path workDir, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "com.luka02.heartbeat.cli.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true);
    return new AgentProcess(pb.start());
  }

  /** Waits for a line containing {@code text}; fails with the transcript when none comes in time. */
  public String await(String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null || line.equals(EOF)) {
        lines.add(EOF);
        throw new AssertionError("no line containing '" + text + "' "
            + (line == null ? "within " + timeout : "before the process ended") + "; output:\n" + transcript());
      }
      if (line.contains(text)) {
        return line;
      }
    }
  }

  public String transcript() {
    synchronized (transcript) {
      return String.join("\n", transcript);
    }
  }

  public Process process() {
    return process;
  }

  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
