package com.luka02.heartbeat.agent;

import java.util.Locale;
import java.util.Set;

/** The gate in front of the query surface: one read-only statement, or a message saying why not. */
public final class ReadOnlySql {
  private static final Set<String> ALLOWED =
      Set.of("SELECT", "WITH", "DESCRIBE", "SHOW", "SUMMARIZE", "EXPLAIN", "FROM", "VALUES", "TABLE");

  private ReadOnlySql() {}

  /** Null when {@code sql} may run; otherwise why it may not. */
  public static String rejection(String sql) {
    if (sql == null || sql.isBlank()) {
      return "expected one read-only SQL statement, found nothing";
    }
    String s = stripComments(sql).strip();
    while (s.endsWith(";")) {
      s = s.substring(0, s.length() - 1).strip();
    }
    if (containsUnquoted(s, ';')) {
      return "expected one statement, found several (';' separates statements)";
    }
    String first = s.split("[\\s(]+", 2)[0].toUpperCase(Locale.ROOT);
    if (!ALLOWED.contains(first)) {
      return "expected a read-only statement (" + String.join(", ", new java.util.TreeSet<>(ALLOWED))
          + "), found " + (first.isEmpty() ? "nothing" : first);
    }
    return null;
  }

  private static String stripComments(String sql) {
    return sql.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("(?m)--[^\\n]*$", " ");
  }

  private static boolean containsUnquoted(String s, char c) {
    boolean single = false;
    boolean dbl = false;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '\'' && !dbl) {
        single = !single;
      } else if (ch == '"' && !single) {
        dbl = !dbl;
      } else if (ch == c && !single && !dbl) {
        return true;
      }
    }
    return false;
  }
}
