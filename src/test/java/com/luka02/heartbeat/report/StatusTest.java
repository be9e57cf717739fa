package com.luka02.heartbeat.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The four statuses keep the spellings already stored in DuckDB, Parquet and JSON. */
class StatusTest {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void wireSpellingsAreTheStoredOnes() {
    assertEquals(List.of("ok", "warn", "error", "skipped"), Arrays.stream(Status.values()).map(Status::wire).toList());
    for (Status s : Status.values()) {
      assertEquals(s, Status.fromWire(s.wire()));
      assertEquals(s.wire(), s.toString());
      assertTrue(Status.EXPECTED.contains(s.wire()), Status.EXPECTED);
    }
  }

  @Test
  void unknownSpelling_namesTheExpectedOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Status.fromWire("OK"));
    assertEquals("expected a status of ok, warn, error or skipped, found 'OK'", e.getMessage());
  }

  @Test
  void checksJsonIsWrittenAsBefore_nullStatusIncluded() throws Exception {
    List<Check> checks = List.of(new Check("Redis", "Status", Status.OK, "up"), new Check("Disk", "Usage", null, "?"));
    String text = "[{\"section\":\"Redis\",\"label\":\"Status\",\"status\":\"ok\",\"message\":\"up\"},"
        + "{\"section\":\"Disk\",\"label\":\"Usage\",\"status\":null,\"message\":\"?\"}]";

    assertEquals(text, json.writeValueAsString(checks));
    assertEquals(checks, json.readValue(text, new TypeReference<List<Check>>() {}));
  }

  @Test
  void checksJsonWithAnUnknownStatus_isRefusedNamingTheExpectedOnes() {
    String text = "[{\"section\":\"Redis\",\"label\":\"Status\",\"status\":\"fine\",\"message\":\"up\"}]";
    JsonMappingException e = assertThrows(JsonMappingException.class,
        () -> json.readValue(text, new TypeReference<List<Check>>() {}));
    assertTrue(e.getOriginalMessage().contains("expected a status of ok, warn, error or skipped, found 'fine'"),
        e.getOriginalMessage());
  }

  @Test
  void nullSpellingIsNoStatus() {
    assertNull(Status.fromWireOrNull(null));
    assertNull(Status.wireOrNull(null));
  }
}
