package com.luka02.heartbeat.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.luka02.heartbeat.store.QueryResult;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The few JSON shapes the command line reads and writes on its fast path ({@code query}, the agent
 * file), with Jackson's streaming parser alone. Setting up the data-binding mapper costs a one-shot
 * process a few hundred milliseconds; these shapes are small and fixed. Values come out as the mapper
 * would give them: Integer/Long/BigInteger, Double, String, Boolean, null, List and LinkedHashMap.
 */
public final class WireJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private WireJson() {}

  /** A {@code shape=table} query answer: columns, rows and the truncation flag; other fields are skipped. */
  public static QueryResult queryResult(byte[] json) throws IOException {
    List<String> columns = new ArrayList<>();
    List<List<Object>> rows = new ArrayList<>();
    boolean truncated = false;
    try (JsonParser p = FACTORY.createParser(json)) {
      expect(p, p.nextToken(), JsonToken.START_OBJECT);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "columns" -> {
            for (Object c : (List<?>) value(p, t)) {
              columns.add(String.valueOf(c));
            }
          }
          case "rows" -> {
            expect(p, t, JsonToken.START_ARRAY);
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
              rows.add(list(p, t));
            }
          }
          case "truncated" -> truncated = t == JsonToken.VALUE_TRUE;
          default -> p.skipChildren();
        }
      }
    }
    return new QueryResult(columns, rows, truncated);
  }

  /** The top-level object's fields that hold scalars, as the mapper would read them; nested values are skipped. */
  public static Map<String, Object> fields(byte[] json) throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    try (JsonParser p = FACTORY.createParser(json)) {
      expect(p, p.nextToken(), JsonToken.START_OBJECT);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if (t.isStructStart()) {
          p.skipChildren();
        } else {
          out.put(field, value(p, t));
        }
      }
    }
    return out;
  }

  /**
   * A record whose components are all strings, booleans or numbers, read from an object holding them
   * by name; null when {@code type} has a component of another kind (the mapper reads those).
   */
  public static <R extends Record> R flatRecord(byte[] json, Class<R> type) throws IOException {
    RecordComponent[] parts = type.getRecordComponents();
    if (!flat(parts)) {
      return null;
    }
    Map<String, Object> fields = fields(json);
    Object[] values = new Object[parts.length];
    Class<?>[] types = new Class<?>[parts.length];
    for (int i = 0; i < parts.length; i++) {
      types[i] = parts[i].getType();
      values[i] = convert(fields.get(parts[i].getName()), types[i], parts[i].getName());
    }
    try {
      return type.getDeclaredConstructor(types).newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IOException("cannot build " + type.getSimpleName() + ": " + e, e);
    }
  }

  /** A flat record as indented JSON, field by field in declaration order, as the mapper's pretty printer writes it. */
  public static String writePretty(Record r) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out).useDefaultPrettyPrinter()) {
      Map<String, Object> fields = new LinkedHashMap<>();
      for (RecordComponent c : r.getClass().getRecordComponents()) {
        try {
          fields.put(c.getName(), c.getAccessor().invoke(r));
        } catch (ReflectiveOperationException e) {
          throw new IOException("cannot read " + c.getName() + ": " + e, e);
        }
      }
      write(g, fields);
    }
    return out.toString();
  }

  /** Whether every component is a scalar {@link #flatRecord} can fill. */
  public static boolean flat(RecordComponent[] parts) {
    for (RecordComponent c : parts) {
      Class<?> t = c.getType();
      if (!(t == String.class || t == boolean.class || t == Boolean.class || t == long.class || t == Long.class
          || t == int.class || t == Integer.class || t == double.class || t == Double.class)) {
        return false;
      }
    }
    return true;
  }

  private static Object convert(Object v, Class<?> t, String name) throws IOException {
    if (v == null) {
      if (t.isPrimitive()) {
        return t == boolean.class ? Boolean.FALSE : t == double.class ? (Object) 0.0 : t == long.class ? (Object) 0L : 0;
      }
      return null;
    }
    if (t == String.class) {
      return String.valueOf(v);
    }
    if (t == boolean.class || t == Boolean.class) {
      if (v instanceof Boolean) {
        return v;
      }
    } else if (v instanceof Number n) {
      return t == long.class || t == Long.class ? (Object) n.longValue()
          : t == int.class || t == Integer.class ? (Object) n.intValue() : (Object) n.doubleValue();
    }
    throw new IOException("field " + name + ": expected " + t.getSimpleName() + ", found " + v);
  }

  /** {@code value} (maps, lists, strings, numbers, booleans, null) as compact JSON, as the mapper writes it. */
  public static String write(Object value) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      write(g, value);
    }
    return out.toString();
  }

  private static void write(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof List<?> l) {
      g.writeStartArray();
      for (Object o : l) {
        write(g, o);
      }
      g.writeEndArray();
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof Double d) {
      g.writeNumber(d);
    } else if (v instanceof Float f) {
      g.writeNumber(f);
    } else if (v instanceof java.math.BigInteger bi) {
      g.writeNumber(bi);
    } else if (v instanceof java.math.BigDecimal bd) {
      g.writeNumber(bd);
    } else {
      g.writeString(v.toString());
    }
  }

  private static List<Object> list(JsonParser p, JsonToken t) throws IOException {
    Object v = value(p, t);
    if (!(v instanceof List<?>)) {
      throw new IOException("expected a JSON array at " + p.currentLocation());
    }
    @SuppressWarnings("unchecked")
    List<Object> list = (List<Object>) v;
    return list;
  }

  private static Object value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          list.add(value(p, t));
        }
        return list;
      }
      case START_OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          map.put(name, value(p, p.nextToken()));
        }
        return map;
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return p.getNumberValue();
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw new IOException("unexpected " + t + " at " + p.currentLocation());
    }
  }

  private static void expect(JsonParser p, JsonToken t, JsonToken wanted) throws IOException {
    if (t != wanted) {
      throw new IOException("expected " + wanted + " but found " + t + " at " + p.currentLocation());
    }
  }
}
