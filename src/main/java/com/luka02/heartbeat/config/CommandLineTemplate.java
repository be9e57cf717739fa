package com.luka02.heartbeat.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command written as one string with placeholders, such as {@code rclone copyto {file} s3:lake/{path}}.
 * It is split into arguments once, like a shell would split it (spaces, single and double quotes),
 * and placeholders are filled in per argument afterwards: no shell ever reads a file name, so a path
 * with spaces or quotes stays one argument and cannot become a second command.
 */
public final class CommandLineTemplate {
  /** The placeholders {@code onExport} knows. */
  public static final List<String> PLACEHOLDERS = List.of("file", "path", "name", "day", "host");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_]*)}");

  private CommandLineTemplate() {}

  /** Splits {@code command} into arguments; throws IllegalArgumentException saying what is wrong. */
  public static List<String> parse(String command) {
    List<String> args = split(command);
    if (args.isEmpty()) {
      throw new IllegalArgumentException("must be a command, such as rclone copyto {file} remote:lake/{path}");
    }
    for (String a : args) {
      Matcher m = PLACEHOLDER.matcher(a);
      while (m.find()) {
        if (!PLACEHOLDERS.contains(m.group(1))) {
          throw new IllegalArgumentException("has the unknown placeholder " + m.group()
              + "; known are {file}, {path}, {name}, {day} and {host}");
        }
      }
    }
    return List.copyOf(args);
  }

  /** Splits at unquoted white space; quotes group and are dropped, as a shell's are. */
  private static List<String> split(String command) {
    List<String> args = new ArrayList<>();
    StringBuilder arg = null;
    char quote = 0;
    for (int i = 0; i < command.length(); i++) {
      char c = command.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          arg.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        arg = arg == null ? new StringBuilder() : arg;
      } else if (Character.isWhitespace(c)) {
        if (arg != null) {
          args.add(arg.toString());
          arg = null;
        }
      } else {
        arg = arg == null ? new StringBuilder() : arg;
        arg.append(c);
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("has an unclosed " + quote + " quote");
    }
    if (arg != null) {
      args.add(arg.toString());
    }
    return args;
  }

  /** The arguments with every placeholder replaced by its value. */
  public static List<String> expand(List<String> args, Map<String, String> values) {
    List<String> out = new ArrayList<>(args.size());
    for (String a : args) {
      out.add(PLACEHOLDER.matcher(a).replaceAll(m -> Matcher.quoteReplacement(values.get(m.group(1)))));
    }
    return out;
  }
}
