package com.luka02.heartbeat.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.luka02.heartbeat.io.Json;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
  @JsonProperty List<String> redactPatterns;
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
    ConfigFile plain = readPlain(configFile);
    return plain != null ? plain : readMapped(configFile);
  }

  /** The fields, by name, that {@link #readPlain} fills: every field of the file's shape. */
  private static final Map<String, Field> FIELDS = fields();

  private static Map<String, Field> fields() {
    Map<String, Field> fields = new HashMap<>();
    for (Field f : ConfigFile.class.getDeclaredFields()) {
      if (f.isAnnotationPresent(JsonProperty.class)) {
        fields.put(f.getName(), f);
      }
    }
    return fields;
  }

  /**
   * {@code configFile} read with Jackson's streaming parser when it is plain: one object whose every field
   * is known and holds a value of its own JSON type (a string, a whole number in range, true or false, a
   * number, an array of strings). Null for anything else, which the object mapper reads as before, with
   * its conversions and its messages. Building the mapper took a command 0.2 s of CPU (its classes), and
   * nothing else a store command does needs it.
   */
  static ConfigFile readPlain(Path configFile) {
    ConfigFile read = new ConfigFile();
    try (JsonParser p = PLAIN.createParser(configFile.toFile())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      Set<String> seen = new HashSet<>();
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        Field f = t == JsonToken.FIELD_NAME ? FIELDS.get(p.currentName()) : null;
        if (f == null || !seen.add(f.getName())) {
          return null;
        }
        Object value = plainValue(p, p.nextToken(), f.getType());
        if (value == null) {
          return null;
        }
        f.set(read, value);
      }
      return read;
    } catch (IOException | IllegalAccessException | RuntimeException e) {
      return null; // the mapper reads it and says what is wrong
    }
  }

  private static final JsonFactory PLAIN = new JsonFactory();

  /** The value at {@code t} when it is of {@code type}'s own JSON type, else null. */
  private static Object plainValue(JsonParser p, JsonToken t, Class<?> type) throws IOException {
    if (type == String.class) {
      return t == JsonToken.VALUE_STRING ? p.getText() : null;
    } else if (type == Integer.class) {
      return t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT ? p.getIntValue() : null;
    } else if (type == Long.class) {
      return t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER
          ? p.getLongValue() : null;
    } else if (type == Boolean.class) {
      return t == JsonToken.VALUE_TRUE ? Boolean.TRUE : t == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
    } else if (type == Double.class) {
      return t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT ? p.getDoubleValue() : null;
    } else if (type == List.class && t == JsonToken.START_ARRAY) {
      List<String> strings = new ArrayList<>();
      for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
        if (e != JsonToken.VALUE_STRING) {
          return null;
        }
        strings.add(p.getText());
      }
      return strings;
    }
    return null;
  }

  /** {@code configFile} read by the object mapper, which refuses an unknown field and names what is wrong. */
  static ConfigFile readMapped(Path configFile) {
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
