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
 * file can be seen empty or half written: it is handed on once its size and mtime have held still
 * for the settle window. Before that, a file that has held still for a brief {@link #QUIET} is
 * handed on once, as not final: the ingester stages it only if it ends with the monitor's closing
 * line, which a half-written file lacks, so a finished report need not wait out the whole window.
 * Not thread-safe; the agent's writer thread owns it.
 */
public final class SettleQueue {
  /** How long a file must hold still before it is first offered; most of the latency from write to row. */
  public static final Duration QUIET = Duration.ofMillis(50);
  private static final Duration MAX_LOOK_INTERVAL = Duration.ofMillis(500);
  private final Duration settle;
  private final Duration quiet;
  private final Duration grace;
  private final LongSupplier nanoTicker;
  private final Map<Path, Pending> pending = new LinkedHashMap<>();

  private static final class Pending {
    long size = -1;
    long mtime = -1;
    long changedAt;
    /** Offered once after {@link #QUIET} since it last changed. */
    boolean offeredEarly;
  }

  /** A file that has held still, and whether it has done so long enough to be judged as it is. */
  public record Settled(Path path, boolean finalAttempt) {}

  public SettleQueue(Duration settle, Duration grace, LongSupplier nanoTicker) {
    this.settle = settle;
    this.quiet = QUIET.compareTo(settle) < 0 ? QUIET : settle;
    this.grace = grace;
    this.nanoTicker = nanoTicker;
  }

  /** Notes that {@code path} changed just now, and how it looks now: the next look compares with this. */
  public void touch(Path path) {
    Pending p = pending.computeIfAbsent(path, k -> new Pending());
    p.changedAt = nanoTicker.getAsLong();
    p.offeredEarly = false;
    BasicFileAttributes attrs = stat(path);
    p.size = attrs == null ? -1 : attrs.size();
    p.mtime = attrs == null ? -1 : attrs.lastModifiedTime().toMillis();
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

  /**
   * Files whose size and mtime have not changed for the settle window, and those that have just held
   * still for {@link #QUIET} (offered once, never final); all stay queued until {@link #remove}.
   */
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
        p.offeredEarly = false;
        continue;
      }
      long still = now - p.changedAt;
      if (still >= settle.toNanos()) {
        out.add(new Settled(e.getKey(), still >= grace.toNanos()));
      } else if (!p.offeredEarly && still >= quiet.toNanos()) {
        p.offeredEarly = true;
        out.add(new Settled(e.getKey(), false));
      }
    }
    return out;
  }

  /** How long until the next file could settle, for scheduling the next look. */
  public Duration nextCheckIn() {
    if (settle.isZero()) {
      return Duration.ofMillis(20);
    }
    for (Pending p : pending.values()) {
      if (!p.offeredEarly) {
        return quiet.dividedBy(2); // half, so a file is looked at soon after it has held still long enough
      }
    }
    // Capped, so that a long window does not hide a file completed after its early offer for long.
    Duration half = settle.dividedBy(2);
    return half.compareTo(MAX_LOOK_INTERVAL) < 0 ? half : MAX_LOOK_INTERVAL;
  }

  private static BasicFileAttributes stat(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return null;
    }
  }
}
