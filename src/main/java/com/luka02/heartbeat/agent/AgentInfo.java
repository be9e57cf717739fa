package com.luka02.heartbeat.agent;

import com.luka02.heartbeat.io.AtomicFiles;
import com.luka02.heartbeat.io.Json;
import com.luka02.heartbeat.serve.WireJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** What {@code agent.json} records about a running agent: how to reach it and since when. */
public record AgentInfo(long pid, int port, String startedAt, String root) {
  public Instant started() {
    return Instant.parse(startedAt);
  }

  /** Writes the file atomically, so a reader never sees half of it. */
  public void write(Path file) throws IOException {
    AtomicFiles.write(file, out -> Json.mapper().writeValue(out, this));
  }

  /** The recorded agent, or null when there is no file or its process is gone. */
  public static AgentInfo readLive(Path file) {
    try {
      // Read with the streaming parser: every CLI command reads this file, most need nothing else of Jackson.
      Map<String, Object> f = WireJson.fields(Files.readAllBytes(file));
      if (!(f.get("pid") instanceof Number pid) || !(f.get("port") instanceof Number port)) {
        return null;
      }
      AgentInfo info = new AgentInfo(pid.longValue(), port.intValue(), (String) f.get("startedAt"), (String) f.get("root"));
      boolean alive = ProcessHandle.of(info.pid()).map(ProcessHandle::isAlive).orElse(false);
      return alive ? info : null;
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      return null; // unreadable or mid-rename: treated as no agent; the lock decides who writes
    }
  }
}
