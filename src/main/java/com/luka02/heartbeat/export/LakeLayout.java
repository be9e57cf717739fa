package com.luka02.heartbeat.export;

import com.luka02.heartbeat.config.Config.ParquetLayout;
import com.luka02.heartbeat.config.Config;
import com.luka02.heartbeat.io.AtomicFiles;
import com.luka02.heartbeat.store.StagingStore;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a day's Parquet file goes and what it holds. The hive layout is
 * {@code host=H/day=YYYY-MM-DD/ops_atomic_YYYYMMDD_H.parquet}: host first, so that each Mac owns one
 * folder of the shared lake (its sync touches nothing of another's), and the top level lists a few
 * hosts rather than a folder per day forever. Both are partition columns, so a filter on either
 * prunes files, and neither is written inside the files, as Spark itself writes partitions.
 */
public final class LakeLayout {
  private static final DateTimeFormatter COMPACT = DateTimeFormatter.BASIC_ISO_DATE;
  /** Written only with {@code parquetProvenance}: where a row came from, not what it says. */
  static final List<String> PROVENANCE = List.of("source_path", "content_hash", "ingested_at");

  private final Config config;

  public LakeLayout(Config config) {
    this.config = config;
  }

  /** The final file of {@code day}. */
  public Path target(LocalDate day) {
    String compact = COMPACT.format(day);
    if (config.layout() == ParquetLayout.HIVE) {
      return config.parquetDir().resolve("host=" + config.host()).resolve("day=" + day)
          .resolve("ops_atomic_" + compact + "_" + config.host() + ".parquet");
    }
    return config.parquetDir().resolve("ops_atomic_" + compact + ".parquet");
  }

  /** The columns a file holds, in order: the old exporter's ten first, provenance only when asked for. */
  public List<String> columns() {
    List<String> columns = new ArrayList<>(StagingStore.COLUMNS);
    if (!config.lake().provenance()) {
      columns.removeAll(PROVENANCE);
    }
    return columns;
  }

  /**
   * Where {@code target} is written before its rename: the staging database's folder, out of every
   * reader's sight, when it shares a filesystem with the target (a rename is atomic only within one);
   * else a hidden name beside the target, which Spark, Trino and {@code *.parquet} globs skip.
   */
  Path temporary(Path target) throws IOException {
    Path state = config.stagingDb().getParent();
    Files.createDirectories(state);
    Files.createDirectories(target.getParent());
    boolean sameStore = Files.getFileStore(state).equals(Files.getFileStore(target.getParent()));
    return AtomicFiles.tempFor(sameStore ? state.resolve(target.getFileName()) : target);
  }

  /**
   * Null when the Parquet folder holds only this layout's files, else why not. A lake folder with
   * two layouts reads wrongly (Spark may drop the {@code host} column of every row, without an
   * error), so a switch of {@code parquetLayout} is refused until the folder is empty or another.
   */
  String mixedLayout() throws IOException {
    Path dir = config.parquetDir();
    if (!Files.isDirectory(dir)) {
      return null;
    }
    List<String> foreign = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        if (foreign(p)) {
          foreign.add(p.getFileName().toString());
        }
      }
    }
    if (foreign.isEmpty()) {
      return null;
    }
    foreign.sort(null);
    String examples = String.join(", ", foreign.subList(0, Math.min(3, foreign.size())))
        + (foreign.size() > 3 ? " and " + (foreign.size() - 3) + " more" : "");
    String layout = config.layout().name().toLowerCase(java.util.Locale.ROOT);
    String earlierHive = config.layout() == ParquetLayout.HIVE && foreign.stream().anyMatch(n -> n.startsWith("day="))
        ? " (day=D/ folders are the hive layout of earlier versions: move each day=D/ops_atomic_…_H.parquet to "
            + "host=H/day=D/, then run rollover --date D for each day to write it without its host column)"
        : "";
    return "parquetLayout is '" + layout + "' but " + dir + " holds files of another layout (" + examples
        + "); one folder must hold one layout, or engines read it wrongly. Move those to another folder, "
        + "set parquetDir to a new folder, or set parquetLayout back" + earlierHive;
  }

  private boolean foreign(Path p) {
    String n = p.getFileName().toString();
    boolean dir = Files.isDirectory(p);
    if (config.layout() == ParquetLayout.HIVE) {
      // Flat files, or the day=/ folders of versions before host=/day=/.
      return (!dir && n.startsWith("ops_atomic_") && n.endsWith(".parquet")) || (dir && n.startsWith("day="));
    }
    return dir && (n.startsWith("host=") || n.startsWith("day="));
  }
}
