package com.luka02.heartbeat.cli;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/** Command-line values checked up front, with messages that say what was expected and what was found. */
final class CliValues {
  private CliValues() {}

  static LocalDate date(String value) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new TypeConversionException("expected a date as YYYY-MM-DD, found '" + value + "'");
    }
  }

  static void requirePort(CommandSpec spec, Integer port) {
    if (port != null && (port < 0 || port > 65535)) {
      throw new ParameterException(spec.commandLine(),
          "Invalid value for option '--port': expected 0 (any free port) to 65535, found " + port);
    }
  }
}
