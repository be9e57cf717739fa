package com.luka02.heartbeat.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.luka02.heartbeat.io.Json;
import com.luka02.heartbeat.report.Check;
import com.luka02.heartbeat.report.Status;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The appended {@code checks} text is the text every other staging path writes. */
class BulkLoadJsonTest {
  @Test
  void checksAreWrittenAsTheObjectMapperWritesThem() throws Exception {
    List<Check> checks = List.of(
        new Check("Redis", "Status", Status.OK, "Redis responding"),
        new Check("Database", "File", null, null),
        new Check("API \"Endpoints\"", "a\\b", Status.ERROR, "line 1\nline 2\ttab \u0001 \u2705 \uD83D\uDE80 </script>"),
        new Check("", "", Status.SKIPPED, ""));

    assertEquals(Json.mapper().writeValueAsString(checks), BulkLoad.checksJson(checks));
    assertArrayEquals(Json.mapper().writeValueAsString(checks).getBytes(StandardCharsets.UTF_8),
        BulkLoad.checksJsonUtf8(checks));
    assertEquals(Json.mapper().writeValueAsString(List.of()), BulkLoad.checksJson(List.of()));
  }
}
