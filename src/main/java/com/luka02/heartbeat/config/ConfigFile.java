package com.luka02.heartbeat.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.luka02.heartbeat.io.Json;
import java.io.IOException;
import java.nio.file.Path;

/** The JSON config file's shape, as read; every field is optional (see {@link ConfigLoader} for the rules). */
@JsonIgnoreProperties(ignoreUnknown = false)
final class ConfigFile {
  @JsonProperty String reportsDir;
  @JsonProperty String stagingDb;
  @JsonProperty String parquetDir;
  @JsonProperty String summaryDir;
  @JsonProperty String logDir;
  @JsonProperty String zone;
  @JsonProperty String rolloverTime;
  @JsonProperty Integer retentionDays;
  @JsonProperty Long maxFileBytes;
  @JsonProperty Long settleMillis;
  @JsonProperty Long incompleteGraceMillis;
  @JsonProperty Long reconcileIntervalSeconds;
  @JsonProperty Long cadenceSeconds;
  @JsonProperty Integer port;
  @JsonProperty String parquetLayout;
  @JsonProperty String host;
  @JsonProperty Long queryTimeoutSeconds;
  @JsonProperty Integer queryMaxRows;
  @JsonProperty String apiTokenFile;
  @JsonProperty Boolean redact;
  @JsonProperty java.util.List<String> redactPatterns;
  @JsonProperty Double alertSilenceMultiple;
  @JsonProperty Boolean alertOnCritical;
  @JsonProperty String alertWebhookUrl;
  @JsonProperty Long alertCheckSeconds;
  @JsonProperty Boolean parquetProvenance;
  @JsonProperty String onExport;
  @JsonProperty Long onExportTimeoutSeconds;
  @JsonProperty Integer duckdbMemoryLimitMb;
  @JsonProperty Integer duckdbThreads;
  @JsonProperty Integer querySlots;
  @JsonProperty Integer queryMaxResultMb;

  /** Reads {@code configFile}; a message names the file, the line and the field when it is not a config. */
  static ConfigFile read(Path configFile) {
    ObjectReader mapper = Json.mapper().readerFor(ConfigFile.class).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    try {
      ConfigFile read = mapper.readValue(configFile.toFile());
      if (read == null) {
        throw new ConfigException(configFile + ": expected a JSON object of settings, found null");
      }
      return read;
    } catch (UnrecognizedPropertyException e) {
      throw ConfigErrors.unknownField(configFile, e);
    } catch (JsonMappingException e) {
      throw ConfigErrors.wrongType(configFile, e, ConfigFile.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ConfigErrors.syntax(configFile, e);
    } catch (IOException e) {
      throw new ConfigException(configFile + ": cannot read config: " + e.getMessage());
    }
  }
}
