package com.luka02.heartbeat.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.luka02.heartbeat.report.Check;
import com.luka02.heartbeat.report.Heartbeat;
import com.luka02.heartbeat.report.Status;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Test;

/** The {@code checks} column is one text, whether the appender writes it as bytes or the CSV load as a string. */
class ChecksJsonTest {
  @Test
  void theAppendersBytesAreTheCsvLoadsTextInUtf8() {
    String[] parts = {"ok", "\"quoted\"", "back\\slash", "\n", "\r\n", "\t", "\u0000", "\u001f", "\u007f",
        "\u2028", "\u00e9", "\u2705", "\u26A0\uFE0F", "\uD83D\uDFE2", "</script>", "&", "'", " "};
    Random random = new Random(20261128L);
    for (int n = 0; n < 2_000; n++) {
      List<Check> checks = new ArrayList<>();
      for (int c = random.nextInt(4); c >= 0; c--) {
        StringBuilder message = new StringBuilder();
        for (int k = random.nextInt(8); k >= 0; k--) {
          message.append(parts[random.nextInt(parts.length)]);
        }
        Status status = random.nextInt(5) == 0 ? null : Status.values()[random.nextInt(Status.values().length)];
        checks.add(new Check("Section " + n, "Label " + parts[random.nextInt(parts.length)], status, message.toString()));
      }
      String text = BulkLoad.checksJson(checks);
      assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), BulkLoad.checksJsonUtf8(checks), text);
    }
    assertEquals("[{\"section\":\"Redis\",\"label\":\"Status\",\"status\":\"ok\",\"message\":\"a \\\"b\\\"\\n\\u0001\"}]",
        BulkLoad.checksJson(List.of(new Check("Redis", "Status", Status.OK, "a \"b\"\n\u0001"))));
  }

  @Test
  void checksMetAgainAreWrittenAsTheFirstTime() {
    // Each check's object is remembered per thread: repeated checks, empty lists, objects too long to be
    // remembered, and more distinct ones than are remembered, against the CSV load's text.
    List<Check> pool = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      pool.add(new Check("Section " + i % 4, "Label " + i % 3, i % 5 == 0 ? null : Status.values()[i % Status.values().length],
          "message \u2705 " + i + (i % 9 == 0 ? " \"quoted\"\n" + "x".repeat(BulkLoad.CHECK_JSON_BYTES / 16) : "")));
    }
    Random random = new Random(20261128L);
    for (int n = 0; n < 3_000; n++) {
      List<Check> checks = new ArrayList<>();
      for (int c = random.nextInt(6); c > 0; c--) {
        checks.add(random.nextInt(4) > 0 ? pool.get(random.nextInt(pool.size()))
            : new Check("Section", "Label", Status.OK, "unique " + n + " " + c));
      }
      String text = BulkLoad.checksJson(checks);
      assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), BulkLoad.checksJsonUtf8(checks), text);
    }
  }

  @Test
  void aListOfChecksMetAgainGivesTheRowValuesItGaveTheFirstTime() throws Exception {
    // A row's values from its checks are remembered per list of checks (by identity): lists repeat, or
    // hold the same checks as another list, or are new; a thread that made no row before is the reference.
    String[] sections = {"Redis", "Database", "API Endpoints", "LaunchAgents"};
    String[] labels = {"Status", Heartbeat.OPTIMIZER_AGENT, Heartbeat.DIGEST_AGENT};
    List<List<Check>> lists = new ArrayList<>();
    Random random = new Random(20261128L);
    for (int i = 0; i < 30; i++) {
      List<Check> checks = new ArrayList<>();
      for (int c = random.nextInt(6); c > 0; c--) {
        checks.add(new Check(sections[random.nextInt(sections.length)], labels[random.nextInt(labels.length)],
            Status.values()[random.nextInt(Status.values().length)], "message " + random.nextInt(5)));
      }
      lists.add(List.copyOf(checks));
    }
    for (int n = 0; n < 1_000; n++) {
      List<Check> checks = random.nextInt(5) > 0 ? lists.get(random.nextInt(lists.size()))
          : Collections.unmodifiableList(new ArrayList<>(lists.get(random.nextInt(lists.size())))); // a new list, known checks
      Heartbeat h = new Heartbeat(Instant.ofEpochSecond(1_700_000_000L + n), Status.OK, 5, checks, "summary " + n, true);
      StagedFile f = new StagedFile("g/reports/heartbeat_" + n + ".md", 100, 1, "hash" + n, h, LocalDate.of(2025, 1, 1));
      FutureTask<String> reference = new FutureTask<>(() -> values(BulkLoad.Row.of(f)));
      new Thread(reference).start();

      assertEquals(reference.get(), values(BulkLoad.Row.of(f)), checks.toString());
    }
  }

  private static String values(BulkLoad.Row r) {
    return String.join("|", r.redis(), r.database(), r.api(), r.optimizer(), r.digest(),
        new String(r.checksJson(), StandardCharsets.UTF_8), new String(r.summary(), StandardCharsets.UTF_8),
        new String(r.path(), StandardCharsets.UTF_8), String.valueOf(r.tsMicros()));
  }
}
