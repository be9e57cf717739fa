package com.luka02.heartbeat.config;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
  @TempDir Path dir;

  @Test
  void aPlainFileReadsAsTheMapperReadsItAndAnyOtherIsLeftToTheMapper() throws Exception {
    // Plain files, generated, must give the mapper's fields exactly; files the mapper converts or refuses
    // (a string for a number, a float for an int, nulls, unknown or repeated fields, out of range) must
    // not be read plainly at all.
    String[] plain = {"\"zone\": \"UTC\"", "\"retentionDays\": 0", "\"port\": 8787", "\"maxFileBytes\": 9000000000",
        "\"redact\": true", "\"alertOnCritical\": false", "\"alertSilenceMultiple\": 2.5", "\"alertSilenceMultiple\": 3",
        "\"redactPatterns\": [\"apikey_(\\\\w+)\", \"tok=(\\\\S+)\"]", "\"redactPatterns\": []",
        "\"reportsDir\": \"g/r\\u00e9ports\"", "\"onExport\": \"rclone copy {file} remote:\"", "\"duckdbThreads\": -1"};
    Random random = new Random(20261128L);
    for (int n = 0; n < 300; n++) {
      List<String> fields = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (int k = random.nextInt(6); k > 0; k--) {
        String f = plain[random.nextInt(plain.length)];
        String name = f.substring(0, f.indexOf(':'));
        if (!names.contains(name)) {
          names.add(name);
          fields.add(f);
        }
      }
      Path file = Files.writeString(dir.resolve("plain" + n + ".json"), "{" + String.join(", ", fields) + "}\n", UTF_8);

      ConfigFile read = ConfigFile.readPlain(file);
      assertNotNull(read, Files.readString(file));
      assertEquals(fields(ConfigFile.readMapped(file)), fields(read), Files.readString(file));
    }
    String[] other = {"{\"port\": \"8787\"}", "{\"retentionDays\": 1.0}", "{\"zone\": null}", "{\"zone\": 7}",
        "{\"zone\": \"UTC\", \"zone\": \"Asia/Bangkok\"}", "{\"port\": 99999999999}", "{\"redact\": \"true\"}",
        "{\"redactPatterns\": \"x(.)\"}", "{\"redactPatterns\": [null]}", "{\"unknown\": 1}", "null", "[]", "",
        "{\"zone\": \"UTC\"", "{\"maxFileBytes\": 99999999999999999999}", "// a comment\n{}"};
    for (String text : other) {
      Path file = Files.writeString(dir.resolve("other.json"), text, UTF_8);
      assertNull(ConfigFile.readPlain(file), text);
    }
  }

  private static List<String> fields(ConfigFile f) throws IllegalAccessException {
    List<String> values = new ArrayList<>();
    for (Field field : ConfigFile.class.getDeclaredFields()) {
      if (field.isAnnotationPresent(com.fasterxml.jackson.annotation.JsonProperty.class)) {
        Object v = field.get(f);
        values.add(field.getName() + "=" + (v == null ? "null" : v.getClass().getSimpleName() + ":" + v));
      }
    }
    return values;
  }
}
