package com.luka02.heartbeat.watch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Files the watcher reported, held until they stop changing. The monitor writes in place, so a
 * file can be seen empty or half written: it is handed on only once its size and mtime have held
 * still for the settle window. Not thread-safe; the agent's writer thread owns it.
 */
public final class SettleQueue {
  private final Duration settle;
  private final Duration grace;
  private final LongSupplier nanoTicker;
  private final Map<Path, Pending> pending = new LinkedHashMap<>();

  private static final class Pending {
    long size = -1;
    long mtime = -1;
    long changedAt;
  }

  /** A file that has held still, and whether it has done so long enough to be judged as it is. */
  public record Settled(Path path, boolean finalAttempt) {}

  public SettleQueue(Duration settle, Duration grace, LongSupplier nanoTicker) {
    this.settle = settle;
    this.grace = grace;
    this.nanoTicker = nanoTicker;
  }

  /** Notes that {@code path} changed just now. */
  public void touch(Path path) {
    Pending p = pending.computeIfAbsent(path, k -> new Pending());
    p.changedAt = nanoTicker.getAsLong();
  }

  public void remove(Path path) {
    pending.remove(path);
  }

  public boolean contains(Path path) {
    return pending.containsKey(path);
  }

  public boolean isEmpty() {
    return pending.isEmpty();
  }

  public int size() {
    return pending.size();
  }

  /** Files whose size and mtime have not changed for the settle window; they stay queued until {@link #remove}. */
  public List<Settled> settled() {
    long now = nanoTicker.getAsLong();
    List<Settled> out = new ArrayList<>();
    for (Map.Entry<Path, Pending> e : new ArrayList<>(pending.entrySet())) {
      Pending p = e.getValue();
      BasicFileAttributes attrs = stat(e.getKey());
      if (attrs == null) {
        out.add(new Settled(e.getKey(), true)); // gone: the ingester records that
        continue;
      }
      long size = attrs.size();
      long mtime = attrs.lastModifiedTime().toMillis();
      if (size != p.size || mtime != p.mtime) {
        p.size = size;
        p.mtime = mtime;
        p.changedAt = now;
            continue;
      }
      if (now - p.changedAt >= settle.toNanos()) {
        out.add(new Settled(e.getKey(), now - p.changedAt >= grace.toNanos()));
      }
    }
    return out;
  }

  /** How long until the next file could settle, for scheduling the next look. */
  public Duration nextCheckIn() {
    return settle.isZero() ? Duration.ofMillis(20) : settle.dividedBy(2);
  }

  private static BasicFileAttributes stat(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return null;
    }
  }
}
