package com.luka02.heartbeat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The alert keys of the config file. */
class AlertConfigTest {
  @TempDir Path root;

  private Path config(String json) throws IOException {
    return Files.writeString(root.resolve("config.json"), json);
  }

  @Test
  void defaultsAlertAfterThreeCadencesAndOnCriticalWithoutAWebhook() {
    Config.Alerting a = ConfigLoader.load(root, null).alerting();

    assertEquals(3.0, a.silenceMultiple());
    assertEquals(true, a.onCritical());
    assertNull(a.webhookUrl());
    assertEquals(Duration.ofSeconds(60), a.checkInterval());
  }

  @Test
  void discordWebhookIsAccepted() throws IOException {
    Config.Alerting a = ConfigLoader.load(root, config("""
        {"alertWebhookUrl": "https://discord.com/api/webhooks/123/abc", "alertSilenceMultiple": 2.5,
         "alertOnCritical": false}""")).alerting();

    assertEquals(URI.create("https://discord.com/api/webhooks/123/abc"), a.webhookUrl());
    assertEquals(2.5, a.silenceMultiple());
    assertFalse(a.onCritical());
    assertFalse(a.toString().contains("abc"), "the webhook's secret path is never printed: " + a);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
      "alertSilenceMultiple | 1            | '1.0': must be between 1.5 and 1000 (times cadenceSeconds)",
      "alertCheckSeconds    | 0            | '0': must be between 1 and 3600",
      "alertWebhookUrl      | ftp://h/s3cr | 'ftp://h/…': must be an http:// or https:// URL, such as a Discord or Slack incoming webhook",
      "alertWebhookUrl      | hooks/s3cr   | '(not a URL)': must be an http:// or https:// URL, such as a Discord or Slack incoming webhook",
  })
  void invalidValueIsRefusedNamingFieldValueAndRuleButNotTheSecret(String field, String value, String rest)
      throws IOException {
    boolean number = value.matches("\\d+");
    Path file = config("{\"" + field + "\": " + (number ? value : "\"" + value + "\"") + "}");

    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(root, file));

    assertEquals(file + ": invalid " + field + " " + rest, e.getMessage());
  }
}
