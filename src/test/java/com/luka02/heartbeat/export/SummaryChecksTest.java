package com.luka02.heartbeat.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.luka02.heartbeat.io.Json;
import com.luka02.heartbeat.report.Check;
import com.luka02.heartbeat.report.Status;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A summary reads the {@code checks} column as the object mapper reads it, and refuses what is not that JSON. */
class SummaryChecksTest {
  @Test
  void theChecksAreReadAsTheMapperReadsThem() throws Exception {
    String[] parts = {"ok", "\"q\"", "b\\\\s", "\n", "\t", "\u0001", "\u00e9", "\u2705", "\uD83D\uDFE2", " ", "[", "{"};
    Random random = new Random(20261128L);
    for (int n = 0; n < 500; n++) {
      List<Check> checks = new ArrayList<>();
      for (int c = random.nextInt(5); c > 0; c--) {
        Status status = random.nextInt(4) == 0 ? null : Status.values()[random.nextInt(Status.values().length)];
        checks.add(new Check(text(random, parts), text(random, parts), status, random.nextInt(5) == 0 ? null : text(random, parts)));
      }
      String json = Json.mapper().writeValueAsString(checks);

      assertEquals(Json.mapper().readValue(json, new TypeReference<List<Check>>() {}), Summary.parse(json), json);
    }
    // Field order and fields this tool does not write do not matter.
    assertEquals(List.of(new Check("Redis", "Status", Status.OK, "up")),
        Summary.parse("[{\"message\":\"up\",\"extra\":{\"a\":[1]},\"status\":\"ok\",\"label\":\"Status\",\"section\":\"Redis\"}]"));
  }

  @Test
  void whatIsNotTheChecksJsonIsRefusedWithTheText() {
    for (String bad : List.of("", "{}", "[1]", "[{\"status\":\"fine\"}]", "[{\"label\":3}]", "[{\"label\":\"x\"", "[")) {
      UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Summary.parse(bad), bad);
      assertTrue(e.getMessage().startsWith("checks column is not the JSON this tool writes (") && e.getMessage().endsWith(": " + bad),
          e.getMessage());
    }
  }

  private static String text(Random random, String[] parts) {
    StringBuilder s = new StringBuilder();
    for (int k = random.nextInt(4); k >= 0; k--) {
      s.append(parts[random.nextInt(parts.length)]);
    }
    return s.toString();
  }
}
