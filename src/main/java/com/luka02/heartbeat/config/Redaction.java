package com.luka02.heartbeat.config;

import com.luka02.heartbeat.io.RecentResults;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides credentials that monitors paste into error messages before they are staged or served.
 * Each pattern's group 1 is the secret; it becomes {@value #MASK}. The built-in patterns cover
 * {@code redis-cli -a <password>}, {@code password=…}, {@code token=…} and {@code Authorization: …}.
 */
public final class Redaction {
  public static final String MASK = "[REDACTED]";
  static final List<Pattern> BUILT_IN = List.of(
      Pattern.compile("(?<=\\s|^)-a\\s+(\\S+)"),
      Pattern.compile("(?i)\\b(?:password|passwd|pwd)\\s*[=:]\\s*([^\\s&;,'\"]+)"),
      Pattern.compile("(?i)\\b(?:token|api[_-]?key|secret)\\s*[=:]\\s*([^\\s&;,'\"]+)"),
      Pattern.compile("(?i)\\bAuthorization:\\s*(.+)"));
  /** Every built-in pattern needs one of these; most text has none and is scanned once, lowercased. */
  private static final String[] TRIGGERS = {"-a", "pass", "pwd", "token", "api", "secret", "authorization"};
  private static final Redaction NONE = new Redaction(List.of(), List.of());

  private final List<Pattern> builtIn;
  private final List<Pattern> extra;

  private Redaction(List<Pattern> builtIn, List<Pattern> extra) {
    this.builtIn = List.copyOf(builtIn);
    this.extra = List.copyOf(extra);
  }

  /** The built-in patterns plus {@code extra} (each needs a group 1), or nothing when {@code enabled} is false. */
  public static Redaction of(boolean enabled, List<String> extra) {
    if (!enabled) {
      return NONE;
    }
    List<Pattern> compiled = new ArrayList<>();
    for (String p : extra) {
      Pattern c = Pattern.compile(p);
      if (c.matcher("").groupCount() < 1) {
        throw new PatternSyntaxException("needs a group 1 around the secret", p);
      }
      compiled.add(c);
    }
    return new Redaction(BUILT_IN, compiled);
  }

  public boolean enabled() {
    return !builtIn.isEmpty() || !extra.isEmpty();
  }

  /** {@code text} with every secret masked: {@code text} itself when there was none; null stays null. */
  public String apply(String text) {
    if (text == null || !enabled()) {
      return text;
    }
    String out = text;
    if (!builtIn.isEmpty() && !knownClean(text)) {
      out = mask(out, builtIn);
    }
    return mask(out, extra);
  }

  /**
   * The texts this thread found without any built-in pattern's trigger lately: a report repeats most of
   * its messages from the report before, and looking one up costs a fraction of lower-casing and
   * searching it (a stack trace of 67 lines included). Only clean texts are kept, never one that may
   * hold a secret; at most {@link #CLEAN_CHARS} characters of them per thread (some 0.5 MB).
   */
  static final int CLEAN_CHARS = 256 * 1024;
  private static final ThreadLocal<RecentResults<String, Boolean>> CLEAN =
      ThreadLocal.withInitial(() -> new RecentResults<>(new HashMap<>(), CLEAN_CHARS));

  /** True when no built-in pattern can match {@code text}, as {@link #mayHoldSecret} tells, remembered. */
  private static boolean knownClean(String text) {
    RecentResults<String, Boolean> clean = CLEAN.get();
    if (clean.get(text) != null) {
      return true;
    }
    if (mayHoldSecret(text)) {
      return false;
    }
    clean.put(text, Boolean.TRUE, text.length());
    return true;
  }

  /**
   * A plain search: a regular expression with alternatives tries each one at every character. The
   * lower-cased copy costs less than searching the text in either case by hand (measured on a year).
   */
  private static boolean mayHoldSecret(String text) {
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    for (String t : TRIGGERS) {
      if (lower.contains(t)) {
        return true;
      }
    }
    return false;
  }

  private static String mask(String text, List<Pattern> patterns) {
    String out = text;
    for (int i = 0; i < patterns.size(); i++) { // no iterator: this runs for every message
      Matcher m = patterns.get(i).matcher(out);
      if (!m.find()) {
        continue;
      }
      StringBuilder sb = new StringBuilder(out.length());
      int last = 0;
      do {
        sb.append(out, last, m.start(1)).append(MASK);
        last = m.end(1);
      } while (m.find());
      out = sb.append(out, last, out.length()).toString();
    }
    return out;
  }

  /** Thrown for an extra pattern without a group 1. */
  static final class PatternSyntaxException extends java.util.regex.PatternSyntaxException {
    private static final long serialVersionUID = 1L;

    PatternSyntaxException(String desc, String regex) {
      super(desc, regex, -1);
    }
  }
}
