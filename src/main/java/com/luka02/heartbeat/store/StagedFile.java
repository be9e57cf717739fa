package com.luka02.heartbeat.store;

import com.luka02.heartbeat.report.Heartbeat;
import java.time.LocalDate;

/**
 * A heartbeat file that parsed, ready to become a row.
 *
 * @param path relative to the root
 */
public record StagedFile(
    String path, long size, long mtimeMs, String contentHash, Heartbeat heartbeat, LocalDate day) {

  public String fileName() {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }
}
