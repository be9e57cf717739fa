package com.luka02.heartbeat.agent;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The gate in front of the query surface: exactly one statement, and one that only reads. A
 * single-pass scanner that knows DuckDB's quotes and comments finds the first keyword and any
 * statement separator, so that neither can hide inside a string or a comment. Behind the gate,
 * every query also runs in a transaction that is rolled back, with file access locked down.
 */
public final class ReadOnlySql {
  private static final Set<String> ALLOWED =
      Set.of("SELECT", "WITH", "DESCRIBE", "SHOW", "SUMMARIZE", "EXPLAIN", "FROM", "VALUES", "TABLE");

  private ReadOnlySql() {}

  /** Null when {@code sql} may run; otherwise why it may not, for a 400 answer. */
  public static String rejection(String sql) {
    if (sql == null || sql.isBlank()) {
      return "expected one read-only SQL statement, found nothing";
    }
    Scan scan = scan(sql);
    if (scan.unterminated != null) {
      return "expected a complete statement, found an unterminated " + scan.unterminated;
    }
    if (scan.statements > 1) {
      return "expected one statement, found " + scan.statements + " (';' separates statements)";
    }
    if (!ALLOWED.contains(scan.firstWord)) {
      return "expected a read-only statement (" + String.join(", ", new TreeSet<>(ALLOWED)) + "), found "
          + (scan.firstWord.isEmpty() ? "nothing" : scan.firstWord);
    }
    if (scan.firstWord.equals("EXPLAIN") && scan.secondWord.equals("ANALYZE")) {
      return "expected a read-only statement, found EXPLAIN ANALYZE, which runs the statement it explains";
    }
    return null;
  }

  private static final class Scan {
    String firstWord = "";
    String secondWord = "";
    int statements;
    String unterminated;
  }

  private static Scan scan(String sql) {
    Scan scan = new Scan();
    boolean contentSinceSeparator = false;
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int nl = sql.indexOf('\n', i);
        i = nl < 0 ? n : nl + 1;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        if (end < 0) {
          scan.unterminated = "comment";
          return scan;
        }
        i = end + 2;
      } else if (c == '\'' || c == '"') {
        int end = closingQuote(sql, i + 1, c);
        if (end < 0) {
          scan.unterminated = c == '\'' ? "string" : "quoted name";
          return scan;
        }
        contentSinceSeparator = true;
        i = end + 1;
      } else if (c == '$' && dollarTag(sql, i) != null) {
        String tag = dollarTag(sql, i);
        int end = sql.indexOf(tag, i + tag.length());
        if (end < 0) {
          scan.unterminated = "dollar-quoted string";
          return scan;
        }
        contentSinceSeparator = true;
        i = end + tag.length();
      } else if (c == ';') {
        if (contentSinceSeparator) {
          scan.statements++;
        }
        contentSinceSeparator = false;
        i++;
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
          i++;
        }
        String word = sql.substring(start, i).toUpperCase(Locale.ROOT);
        if (scan.statements == 0 && !contentSinceSeparator) {
          scan.firstWord = word;
        } else if (scan.statements == 0 && scan.secondWord.isEmpty()) {
          scan.secondWord = word;
        }
        contentSinceSeparator = true;
      } else {
        if (!Character.isWhitespace(c)) {
          if (scan.statements == 0 && !contentSinceSeparator && scan.firstWord.isEmpty()) {
            scan.firstWord = String.valueOf(c); // e.g. '(' : not a statement we allow
          }
          contentSinceSeparator = true;
        }
        i++;
      }
    }
    if (contentSinceSeparator) {
      scan.statements++;
    }
    return scan;
  }

  /** The index of the quote closing one opened before {@code from}; a doubled quote is an escape. */
  private static int closingQuote(String sql, int from, char quote) {
    for (int i = from; i < sql.length(); i++) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i++;
        } else {
          return i;
        }
      }
    }
    return -1;
  }

  /** {@code $$} or {@code $tag$} starting at {@code i}, or null. */
  private static String dollarTag(String sql, int i) {
    int j = i + 1;
    while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
      j++;
    }
    return j < sql.length() && sql.charAt(j) == '$' ? sql.substring(i, j + 1) : null;
  }
}
