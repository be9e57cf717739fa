package com.luka02.heartbeat.ingest;

import com.luka02.heartbeat.store.SeenFile;
import com.luka02.heartbeat.store.StagingStore;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the store recorded of the files one catch-up walked: which of them changed since (a new path, or
 * a size or mtime not as recorded) and, for a changed path, its record. A store that recorded nothing (a
 * first catch-up) is answered without a map: every file is new, and a year's 105,000 paths need not be
 * made relative, hashed and held to say so.
 */
final class Recorded {
  /** A store that recorded no file: every walked file is new. */
  static final Recorded NOTHING = new Recorded(null, null);

  /** The changed files' records by relative path, null for a new path; null itself when nothing was recorded. */
  private final Map<String, SeenFile> changed;
  private final Set<ReportFiles.Entry> changedEntries;

  private Recorded(Map<String, SeenFile> changed, Set<ReportFiles.Entry> changedEntries) {
    this.changed = changed;
    this.changedEntries = changedEntries;
  }

  /**
   * The store's answer {@code changed} (records by relative path, null when new) for the walked files
   * {@code regular}, {@code walked} holding each one's relative path at the same index.
   */
  static Recorded of(Map<String, SeenFile> changed, List<ReportFiles.Entry> regular,
      List<StagingStore.WalkedFile> walked) {
    Set<ReportFiles.Entry> entries = Collections.newSetFromMap(new IdentityHashMap<>());
    for (int i = 0; i < walked.size() && entries.size() < changed.size(); i++) {
      if (changed.containsKey(walked.get(i).path())) {
        entries.add(regular.get(i));
      }
    }
    return new Recorded(changed, entries);
  }

  /** Whether the walked file {@code e} changed since the store recorded it, or was never recorded. */
  boolean changed(ReportFiles.Entry e) {
    return changedEntries == null || changedEntries.contains(e);
  }

  /** Whether the file at {@code path} (relative) changed and was never recorded. */
  boolean isNew(String path) {
    return changed == null || (changed.containsKey(path) && changed.get(path) == null);
  }

  /** The store's record of the changed file at {@code path} (relative); null when it is new or unchanged. */
  SeenFile record(String path) {
    return changed == null ? null : changed.get(path);
  }
}
