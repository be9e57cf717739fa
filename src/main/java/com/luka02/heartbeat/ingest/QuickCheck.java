package com.luka02.heartbeat.ingest;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.store.StagingStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The periodic safety net for lost file events, at a cost that does not grow with history.
 *
 * <p>A lost event is one of three things, and each leaves a trace that is cheap to find:
 * <ul>
 *   <li>a file created, renamed or moved in: its folder's mtime changes, so only folders whose mtime
 *       changed since the last look are listed, and only their recently named reports are compared;
 *   <li>a folder moved or created: its parent's mtime changes, and a folder not seen before is listed
 *       whole;
 *   <li>a file rewritten in place: no folder changes, but reports are written once, so only files
 *       modified in the last {@link #RECENT} are re-stat'ed at every look.
 * </ul>
 * Anything else (an old report rewritten or copied into an old folder without an event) is left to
 * the full rescan, which also rebuilds this index. Not thread-safe: the agent's writer owns it.
 */
public final class QuickCheck {
  /** Files modified (or named for a time) this recently are re-stat'ed at every look. */
  static final Duration RECENT = Duration.ofHours(26);
  /** Folder mtimes this close to the look may hide a later change on coarse clocks: list them again. */
  private static final Duration COARSE_MTIME = Duration.ofSeconds(2);
  /**
   * Recent files a look compares at most, the newest by name: 13 times the monitor's 312 in 26 hours.
   * A flood leaves its older files to the full rescan, and a look's cost and memory stay bounded: 50
   * reports a second had put 54,581 files, about 11 MB, in the index after 17 minutes.
   */
  static final int MAX_RECENT = 4_096;

  /** A file the look found new or changed since the store recorded it. */
  public record Found(Path path, Instant modified) {}

  /**
   * What a look found. {@code needsFullRescan} when there is no index yet (no full rescan has run)
   * or the reports folder was replaced.
   */
  public record Look(List<Found> changed, int foldersListed, int filesChecked, boolean needsFullRescan) {}

  private record Known(Object fileKey, FileTime mtime, boolean relist, List<Path> subfolders) {}

  /** What the last look knew of a recent file; {@code confirmed} once the store agreed with it. */
  private record Stamp(long size, long mtimeMs, boolean confirmed) {}

  private final Config config;
  private final StagingStore store;
  private final Ingester ingester;
  private final Clock clock;
  private final Map<Path, Known> folders = new HashMap<>();
  private final Map<Path, Stamp> recent = new HashMap<>();
  private final int maxRecent;
  private boolean indexed;

  public QuickCheck(Config config, StagingStore store, Ingester ingester, Clock clock) {
    this(config, store, ingester, clock, MAX_RECENT);
  }

  /** As above, comparing at most {@code maxRecent} recent files at each look. */
  QuickCheck(Config config, StagingStore store, Ingester ingester, Clock clock, int maxRecent) {
    this.config = config;
    this.store = store;
    this.ingester = ingester;
    this.clock = clock;
    this.maxRecent = maxRecent;
  }

  /** The full rescan: walks and compares the whole tree, and rebuilds the index the looks use. */
  public CatchupResult fullRescan(Instant modifiedBefore, Consumer<Path> young) throws IOException {
    return ingester.catchup(CatchupOptions.FULL, modifiedBefore, young, this::rebuild);
  }

  private void rebuild(ReportFiles.Walk walk) {
    Instant now = clock.instant();
    folders.clear();
    recent.clear();
    for (ReportFiles.Folder f : walk.folders()) {
      folders.put(f.path(), known(f, now));
    }
    for (ReportFiles.Entry e : walk.entries()) {
      if (e.regularFile() && isRecent(e.mtimeMs(), now)) {
        recent.put(e.path(), new Stamp(e.size(), e.mtimeMs(), false));
      }
    }
    keepNewest();
    indexed = true;
  }

  /** Looks for what the watcher may have missed since the last look; stages nothing itself. */
  public Look look() {
    Instant now = clock.instant();
    Path root = config.reportsDir();
    Known rootKnown = folders.get(root);
    BasicFileAttributes rootAttrs = stat(root);
    if (!indexed || rootAttrs == null || !rootAttrs.isDirectory()
        || (rootKnown != null && !Objects.equals(rootKnown.fileKey(), rootAttrs.fileKey()))) {
      return new Look(List.of(), 0, 0, indexed && rootAttrs != null && rootAttrs.isDirectory());
    }
    List<Path> candidates = new ArrayList<>();
    int listed = visitFolders(now, candidates);
    for (Path c : candidates) {
      recent.putIfAbsent(c, new Stamp(-1, -1, false));
    }
    keepNewest();
    return compareRecent(now, listed);
  }

  /**
   * Forgets all but the {@link #maxRecent} newest recent files, by the time in their names; a name
   * without one counts as newest.
   */
  private void keepNewest() {
    if (recent.size() <= maxRecent) {
      return;
    }
    List<Path> newestFirst = new ArrayList<>(recent.keySet());
    newestFirst.sort(Comparator.comparingLong(QuickCheck::pathTime).reversed());
    for (Path p : newestFirst.subList(maxRecent, newestFirst.size())) {
      recent.remove(p);
    }
  }

  private static long pathTime(Path p) {
    return nameTime(p.getFileName().toString());
  }

  private static long nameTime(String name) {
    long t = Catchup.nameTime(name);
    return t == 0 ? Long.MAX_VALUE : t;
  }

  /** Stats every known folder, lists those that changed; returns how many were listed. */
  private int visitFolders(Instant now, List<Path> candidates) {
    Set<Path> visited = new HashSet<>();
    ArrayDeque<Path> queue = new ArrayDeque<>(List.of(config.reportsDir()));
    LocalDate recentDay = LocalDate.ofInstant(now.minus(RECENT), ZoneOffset.UTC);
    // With the index full, a report named before all it keeps would be forgotten at once: not listed.
    long floor = recent.size() < maxRecent ? Long.MIN_VALUE
        : recent.keySet().stream().mapToLong(QuickCheck::pathTime).min().orElse(Long.MIN_VALUE);
    int listed = 0;
    long[] ignored = {0};
    while (!queue.isEmpty()) {
      Path dir = queue.pop();
      BasicFileAttributes attrs = stat(dir);
      if (attrs == null || !attrs.isDirectory() || !visited.add(dir)) {
        continue;
      }
      Known k = folders.get(dir);
      if (k == null || k.relist() || !k.mtime().equals(attrs.lastModifiedTime())
          || !Objects.equals(k.fileKey(), attrs.fileKey())) {
        boolean whole = k == null; // a folder new to us: everything in it is new
        ReportFiles.Folder f = ReportFiles.list(dir, config.summaryDir(), (name, path) -> {
          if (whole || recentlyNamed(name, recentDay) && nameTime(name) > floor) {
            candidates.add(path);
          }
        }, ignored);
        listed++;
        if (f == null) {
          continue;
        }
        k = known(f, now);
        folders.put(dir, k);
      }
      queue.addAll(k.subfolders());
    }
    folders.keySet().retainAll(visited);
    return listed;
  }

  /** Re-stats the recent files and asks the store about those that are new or changed. */
  private Look compareRecent(Instant now, int listed) {
    List<StagingStore.WalkedFile> ask = new ArrayList<>();
    Map<String, Path> paths = new HashMap<>();
    int checked = 0;
    for (var it = recent.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      BasicFileAttributes a = stat(e.getKey());
      checked++;
      if (a == null || !a.isRegularFile()) {
        it.remove(); // gone, or not a file: the full rescan forgets it
        continue;
      }
      long mtime = a.lastModifiedTime().toMillis();
      Stamp s = e.getValue();
      if (s.confirmed() && s.size() == a.size() && s.mtimeMs() == mtime) {
        if (!isRecent(mtime, now)) {
          it.remove();
        }
        continue;
      }
      e.setValue(new Stamp(a.size(), mtime, false));
      String rel = config.relative(e.getKey());
      paths.put(rel, e.getKey());
      ask.add(new StagingStore.WalkedFile(rel, a.size(), mtime));
    }
    List<Found> changed = ask.isEmpty() ? List.of() : askStore(ask, paths, now);
    return new Look(List.copyOf(changed), listed, checked, false);
  }

  /** The files the store has not seen as they are; the others are confirmed, or forgotten once no longer recent. */
  private List<Found> askStore(List<StagingStore.WalkedFile> ask, Map<String, Path> paths, Instant now) {
    List<Found> changed = new ArrayList<>();
    Set<String> differ = store.changes(ask, false).changed().keySet();
    for (StagingStore.WalkedFile w : ask) {
      Path p = paths.get(w.path());
      if (differ.contains(w.path())) {
        changed.add(new Found(p, Instant.ofEpochMilli(w.mtimeMs())));
      } else if (isRecent(w.mtimeMs(), now)) {
        recent.put(p, new Stamp(w.size(), w.mtimeMs(), true));
      } else {
        recent.remove(p);
      }
    }
    return changed;
  }

  private Known known(ReportFiles.Folder f, Instant now) {
    boolean relist = !f.mtime().toInstant().isBefore(now.minus(COARSE_MTIME));
    return new Known(f.fileKey(), f.mtime(), relist, f.subfolders());
  }

  private static boolean isRecent(long mtimeMs, Instant now) {
    return mtimeMs >= now.minus(RECENT).toEpochMilli();
  }

  /** Names carry their UTC time; one without a readable date is always looked at. */
  private static boolean recentlyNamed(String name, LocalDate recentDay) {
    LocalDate day = Catchup.nameDate(name);
    return day == null || !day.isBefore(recentDay);
  }

  private static BasicFileAttributes stat(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return null;
    }
  }
}
