package com.luka02.heartbeat.export;

import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.io.Sha256;
import com.luka02.heartbeat.store.StagingStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Rebuilds the ledger from the Parquet archive into a fresh store, after a damaged one was set
 * aside. Every day file this agent wrote is recorded as exported; rows it holds that no report
 * still holds (days pruned from staging, reports deleted since) are staged again, so that nothing
 * the archive holds is lost and retention prunes them again in its own time. A day whose staged
 * rows differ from its file (a report changed after the last export) is left due, so that the
 * next rollover rewrites it; an unchanged day is never exported again.
 */
public final class ArchiveRestore {
  private static final Pattern DAY_FILE = Pattern.compile("ops_atomic_(\\d{8})(_.+)?\\.parquet");

  /** What the archive gave back. */
  public record Report(int days, long rowsRestored, List<LocalDate> dueAgain, List<String> skipped) {}

  private ArchiveRestore() {}

  /** Restores the ledger and the archive-only rows into {@code store}; run after the catch-up of the reports. */
  public static Report restore(Config config, StagingStore store, Clock clock) throws IOException {
    Rollover layout = new Rollover(config, store, clock);
    int days = 0;
    long restored = 0;
    List<LocalDate> due = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (Map.Entry<LocalDate, Path> e : dayFiles(config, layout).entrySet()) {
      Path file = e.getValue();
      List<String> columns = store.inspectParquet(file).columns();
      List<String> lean = new ArrayList<>(StagingStore.COLUMNS);
      lean.removeAll(LakeLayout.PROVENANCE);
      if (!columns.containsAll(lean)) {
        skipped.add(config.relative(file) + ": not written by this agent (columns " + columns + ")");
        continue;
      }
      StagingStore.ArchivedDay d = store.importArchivedDay(e.getKey(), file, columns, config.relative(file),
          Sha256.of(file), Files.size(file), Files.getLastModifiedTime(file).toInstant());
      days++;
      restored += d.rowsRestored();
      if (!d.sameAsStaged()) {
        due.add(e.getKey());
      }
    }
    return new Report(days, restored, List.copyOf(due), List.copyOf(skipped));
  }

  /** The day files of the configured layout, by day: exactly the names the rollover writes. */
  private static Map<LocalDate, Path> dayFiles(Config config, Rollover layout) throws IOException {
    Map<LocalDate, Path> out = new TreeMap<>();
    if (!Files.isDirectory(config.parquetDir())) {
      return out;
    }
    try (Stream<Path> files = Files.walk(config.parquetDir(), 3)) { // hive: host=H/day=D/file
      for (Path f : (Iterable<Path>) files::iterator) {
        Matcher m = DAY_FILE.matcher(f.getFileName().toString());
        if (!m.matches() || !Files.isRegularFile(f)) {
          continue;
        }
        try {
          LocalDate day = LocalDate.parse(m.group(1), DateTimeFormatter.BASIC_ISO_DATE);
          if (layout.target(day).equals(f)) {
            out.put(day, f);
          }
        } catch (DateTimeParseException notADay) {
          // ops_atomic_99999999.parquet is not ours
        }
      }
    }
    return out;
  }
}
