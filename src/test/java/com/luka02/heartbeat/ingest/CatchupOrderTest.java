package com.luka02.heartbeat.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The order a catch-up reads files in, worked out as numbers, against the order of the names it stands for. */
class CatchupOrderTest {
  /** The order as it was written down first: the time in the name, then stem, name length and path. */
  private static final Comparator<Path> BY_NAME = Comparator
      .comparingLong((Path p) -> Catchup.nameTime(p.getFileName().toString()))
      .thenComparing(CatchupOrderTest::tieKey);

  private static String tieKey(Path p) {
    String name = p.getFileName().toString();
    String stem = name.endsWith(".md") ? name.substring(0, name.length() - 3) : name;
    return stem + '\0' + (char) name.length() + p;
  }

  @Test
  void filesSortedAsNumbersFollowTheTimesInTheirNamesThenTheirNamesAndPaths() {
    Random random = new Random(11);
    List<Path> paths = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      // Fields mostly in their ranges, some beyond (month 13-99, hour 24-99, ...), some equal to others.
      String name = String.format("heartbeat_%04d-%02d-%02d_%02d-%02d-%02d", 2020 + random.nextInt(3),
          field(random, 12), field(random, 31), field(random, 23), field(random, 59), field(random, 60));
      String suffix = switch (random.nextInt(6)) {
        case 0 -> " 2.md";
        case 1 -> " 10.md";
        case 2 -> "";
        default -> ".md";
      };
      paths.add(Path.of("g/reports", random.nextBoolean() ? "a" : "b", name + suffix));
    }
    paths.add(Path.of("g/reports/heartbeat_latest.md")); // no time in its name: first
    paths.add(Path.of("g/reports/a/heartbeat_latest.md"));
    paths.add(Path.of("g/reports/heartbeat_9999-99-99_99-99-99.md")); // every field beyond its range
    paths.add(Path.of("g/reports/heartbeat_9999-13-01_00-00-00.md"));
    Collections.shuffle(paths, random);
    List<ReportFiles.Entry> entries = new ArrayList<>(paths.stream().map(ReportFiles.Entry::unlooked).toList());

    Catchup.sortByTime(entries);

    List<Path> expected = new ArrayList<>(paths);
    expected.sort(BY_NAME);
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), entries.get(i).path(), "position " + i);
    }
  }

  @Test
  void aCompactTimeOrdersAsTheTimeAndTellsApartTimesWithinTheirFieldsRanges() {
    Random random = new Random(12);
    for (int i = 0; i < 100_000; i++) {
      long a = time(random);
      long b = time(random);
      long ca = Catchup.compactTime(a);
      long cb = Catchup.compactTime(b);
      assertTrue(Long.signum(ca - cb) * Long.signum(a - b) >= 0, a + " and " + b + " compact to " + ca + ", " + cb);
      if (a != b && inRange(a) && inRange(b)) {
        assertTrue(ca != cb, a + " and " + b);
      }
    }
    assertTrue(Catchup.compactTime(99_999_999_999_999L) < 1L << 39, "fits below the index bits");
    assertEquals(0, Catchup.compactTime(0));
  }

  private static int field(Random random, int max) {
    return random.nextInt(20) == 0 ? max + 1 + random.nextInt(99 - max) : random.nextInt(max + 1);
  }

  private static long time(Random random) {
    long t = 1990 + random.nextInt(3);
    for (int max : new int[] {12, 31, 23, 59, 60}) {
      t = t * 100 + field(random, max);
    }
    return t;
  }

  private static boolean inRange(long t) {
    return t / 100_000_000 % 100 <= 12 && t / 1_000_000 % 100 <= 31 && t / 10_000 % 100 <= 23
        && t / 100 % 100 <= 59 && t % 100 <= 60;
  }
}
