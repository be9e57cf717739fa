package com.luka02.heartbeat.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.luka02.heartbeat.io.Json;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * Turns Jackson's failures on a config file into a message a user can act on: the file, the line
 * and column, the field, what was expected and what was found; never a Java class name.
 */
final class ConfigErrors {
  private ConfigErrors() {}

  static ConfigException unknownField(Path file, UnrecognizedPropertyException e) {
    String name = e.getPropertyName();
    List<String> known = e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
    String nearest = nearest(name, known);
    return new ConfigException(whereKey(file, e, name) + "unknown field '" + name + "'"
        + (nearest == null ? "" : " (did you mean '" + nearest + "'?)") + "; known fields are " + known);
  }

  static ConfigException wrongType(Path file, JsonMappingException e, Class<?> shape) {
    if (e.getPath().isEmpty()) {
      return new ConfigException(where(file, e) + "expected a JSON object of settings");
    }
    String field = e.getPath().get(0).getFieldName();
    return new ConfigException(where(file, e) + "field '" + field + "' has the wrong type: expected "
        + expected(shape, field) + ", found " + found(file, field));
  }

  /** Invalid JSON syntax: Jackson's own sentence, without its source dump, codes or class names. */
  static ConfigException syntax(Path file, JsonProcessingException e) {
    String reason = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("")
        .replaceAll(" \\(code \\d+\\)", "")
        .replaceAll("\\s*\\(for .*\\)$", "")
        .replaceAll("(?i)\\s*at \\[Source.*$", "")
        .strip();
    return new ConfigException(where(file, e) + "invalid JSON: " + reason);
  }

  private static String where(Path file, JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    return at == null || at.getLineNr() < 1 ? file + ": " : file + ":" + at.getLineNr() + ":" + at.getColumnNr() + ": ";
  }

  /** Jackson points past the key; the user wants the column where the key starts. */
  private static String whereKey(Path file, JsonProcessingException e, String name) {
    JsonLocation at = e.getLocation();
    if (at != null && at.getLineNr() >= 1) {
      try {
        List<String> lines = java.nio.file.Files.readAllLines(file);
        int column = lines.get(at.getLineNr() - 1).lastIndexOf('"' + name + '"', Math.max(0, at.getColumnNr() - 1));
        if (column >= 0) {
          return file + ":" + at.getLineNr() + ":" + (column + 1) + ": ";
        }
      } catch (IOException | RuntimeException ignored) {
        // Jackson's own position is still right to the line.
      }
    }
    return where(file, e);
  }

  private static String expected(Class<?> shape, String field) {
    try {
      Field f = shape.getDeclaredField(field);
      Class<?> t = f.getType();
      if (t == Integer.class || t == Long.class) {
        return "a whole number";
      }
      if (t == Double.class) {
        return "a number";
      }
      if (t == Boolean.class) {
        return "true or false";
      }
      return List.class.isAssignableFrom(t) ? "a list of strings" : "a string";
    } catch (NoSuchFieldException e) {
      return "another type";
    }
  }

  private static String found(Path file, String field) {
    try {
      JsonNode value = Json.mapper().readTree(file.toFile()).get(field);
      return value == null ? "nothing" : value.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + value;
    } catch (IOException e) {
      return "a value of another type";
    }
  }

  /** The known name closest to {@code name} by edit distance, if it is close enough to be a typo. */
  static String nearest(String name, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = distance(name.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return bestDistance <= Math.max(2, name.length() / 3) ? best : null;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
