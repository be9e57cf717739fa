package com.luka02.heartbeat.store;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Date;
import java.sql.SQLException;
import java.sql.Struct;
import java.sql.Timestamp;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns JDBC values into types Jackson and CSV print faithfully. */
final class Values {
  private Values() {}

  static Object toPlain(Object v) throws SQLException {
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Integer || v instanceof Long
        || v instanceof Short || v instanceof Byte || v instanceof Double || v instanceof Float
        || v instanceof BigDecimal || v instanceof BigInteger) {
      return v;
    }
    if (v instanceof Timestamp t) {
      return t.toLocalDateTime().toString();
    }
    if (v instanceof Date d) {
      return d.toLocalDate().toString();
    }
    if (v instanceof TemporalAccessor) {
      return v.toString();
    }
    if (v instanceof java.sql.Array a) {
      List<Object> out = new ArrayList<>();
      for (Object o : (Object[]) a.getArray()) {
        out.add(toPlain(o));
      }
      return out;
    }
    if (v instanceof Struct s) {
      List<Object> out = new ArrayList<>();
      for (Object o : s.getAttributes()) {
        out.add(toPlain(o));
      }
      return out;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new java.util.LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.put(String.valueOf(e.getKey()), toPlain(e.getValue()));
      }
      return out;
    }
    return v.toString();
  }
}
