package com.luka02.heartbeat.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.luka02.heartbeat.report.Check;
import com.luka02.heartbeat.report.Status;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
}
