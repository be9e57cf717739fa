package com.luka02.heartbeat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The lake settings: lean files by default, and the onExport command as it is split and filled in. */
class LakeConfigTest {
  @TempDir Path root;

  @Test
  void byDefault_filesAreLean_andNothingIsShipped() {
    Config.Lake lake = ConfigLoader.load(root, null).lake();

    assertFalse(lake.provenance());
    assertNull(lake.onExport());
    assertEquals(Duration.ofSeconds(600), lake.onExportTimeout());
  }

  @Test
  void onExport_isSplitLikeAShell_andFilledInPerArgument() throws IOException {
    Config c = load("{\"onExport\": \"rclone --config '/my conf/r.conf' copyto {file} \\\"s3:lake/{path}\\\"\"}");

    assertEquals(List.of("rclone", "--config", "/my conf/r.conf", "copyto", "{file}", "s3:lake/{path}"), c.lake().onExport());
    List<String> args = CommandLineTemplate.expand(c.lake().onExport(), Map.of("file", "/g/it's a $(file).parquet",
        "path", "host=a/day=2026-02-10/x.parquet", "name", "x", "day", "2026-02-10", "host", "a"));
    assertEquals("/g/it's a $(file).parquet", args.get(4), "one argument, never read by a shell");
    assertEquals("s3:lake/host=a/day=2026-02-10/x.parquet", args.get(5));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"onExport\": \"rclone copyto {file} s3:{bucket}\"} | unknown placeholder {bucket}",
      "{\"onExport\": \"rclone 'copyto {file}\"}             | unclosed ' quote",
      "{\"onExport\": \"   \"}                                | must be a command",
      "{\"onExportTimeoutSeconds\": 0}                       | must be between 1 and 86400"})
  void aBadSetting_isRefusedSayingWhy(String json, String expected) throws IOException {
    ConfigException e = assertThrows(ConfigException.class, () -> load(json));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  private Config load(String json) throws IOException {
    return ConfigLoader.load(root, Files.writeString(root.resolve("config.json"), json));
  }
}
