package com.luka02.heartbeat.report;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import java.time.format.DateTimeFormatter;
import java.time.OffsetDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReportParserTest {
  private static final String OK = "\u2705";
  private static final String WARN = "\u26A0\uFE0F";
  private static final String ERROR = "\u274C";

  /** The row's columns a report decides, as FORMAT.md lists them (filename and report_type aside). */
  private static List<Object> row(Heartbeat h) {
    return Arrays.asList(h.timestamp().toString(), h.status().wire(), h.durationMs(),
        Status.wireOrNull(h.sectionStatus("Redis")), Status.wireOrNull(h.sectionStatus("Database")),
        Status.wireOrNull(h.sectionStatus("API Endpoints")),
        h.launchAgent(Heartbeat.OPTIMIZER_AGENT), h.launchAgent(Heartbeat.DIGEST_AGENT));
  }

  private static List<Object> expected(String timestamp, String status, int duration, String redis,
      String database, String api, String optimizer, String digest) {
    return Arrays.asList(timestamp, status, duration, redis, database, api, optimizer, digest);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "heartbeat_2025-10-27_17-52-10.md, 2025-10-27T17:52:10.076Z, error, 246, error, error, warn, loaded, loaded",
      "heartbeat_2025-10-27_18-47-41.md, 2025-10-27T18:47:41.645Z, error, 97,  ok,    error, warn, loaded, loaded",
      "heartbeat_2025-10-27_18-49-03.md, 2025-10-27T18:49:03.025Z, warn,  46,  ok,    ok,    warn, loaded, loaded",
      "heartbeat_2025-10-27_19-42-00.md, 2025-10-27T19:42:00.007Z, warn,  39,  skipped, skipped, warn, skipped, skipped",
      "heartbeat_2025-10-27_21-40-31.md, 2025-10-27T21:40:31.871Z, ok,    65,  ok,    ok,    ok,   loaded, loaded",
      "heartbeat_2025-10-29_11-30-51.md, 2025-10-29T11:30:51.445Z, error, 85,  ok,    error, ok,   loaded, loaded",
      "heartbeat_2025-11-13_06-11-35.md, 2025-11-13T06:11:35.578Z, error, 60,  error, error, warn, not_loaded, not_loaded",
  })
  void realReportBecomesItsRow(String name, String timestamp, String status, int duration, String redis,
      String database, String api, String optimizer, String digest) throws ReportFormatException {
    Heartbeat h = ReportParser.parse(Reports.real(name));

    assertEquals(expected(timestamp, status, duration, redis, database, api, optimizer, digest), row(h));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "heartbeat_2026-03-02_08-00-04.md, 2026-03-02T08:00:04.312Z, ok,    68,  ok,      ok,      ok,   loaded,  loaded",
      "heartbeat_2026-03-02_08-05-09.md, 2026-03-02T08:05:09.087Z, warn,  44,  ok,      ok,      warn, loaded,  loaded",
      "heartbeat_2026-03-02_08-10-13.md, 2026-03-02T08:10:13.551Z, error, 91,  ok,      error,   ok,   loaded,  not_loaded",
      "heartbeat_2026-03-02_08-15-18.md, 2026-03-02T08:15:18.006Z, warn,  37,  skipped, skipped, warn, skipped, skipped",
      "heartbeat_2026-03-02_08-20-22.md, 2026-03-02T08:20:22.740Z, error, 213, ok,      error,   warn, loaded,  loaded",
  })
  void sampleBecomesTheRowItsReadmeNames(String name, String timestamp, String status, int duration, String redis,
      String database, String api, String optimizer, String digest) throws ReportFormatException {
    Heartbeat h = ReportParser.parse(Reports.sample(name));

    assertEquals(expected(timestamp, status, duration, redis, database, api, optimizer, digest), row(h));
  }

  @Test
  void malformedSampleIsRefusedAtItsTimestampLine() {
    ReportFormatException e = assertThrows(ReportFormatException.class,
        () -> ReportParser.parse(Reports.sample("heartbeat_2026-03-02_08-25-27.md")));

    assertEquals(3, e.line());
    assertTrue(e.getMessage().contains("ISO-8601"), e.getMessage());
  }

  @Test
  void everyRealReportIsComplete() throws IOException, ReportFormatException {
    try (Stream<Path> files = Files.list(Reports.realDir())) {
      List<Path> reports = files.toList();
      assertEquals(7, reports.size());
      for (Path f : reports) {
        assertTrue(ReportParser.parse(Files.readAllBytes(f)).complete(), f.toString());
      }
    }
  }

  @Test
  void stackTraceStaysInsideTheDatabaseMessage() throws ReportFormatException {
    Heartbeat h = ReportParser.parse(Reports.real(Reports.STACK_TRACE));

    List<Check> database = h.checks().stream().filter(c -> c.section().equals("Database")).toList();
    assertEquals(1, database.size());
    String message = database.get(0).message();
    assertAll(
        () -> assertTrue(message.startsWith("Database not responding: Command failed: cd "), message),
        () -> assertTrue(message.contains("\n- /Users/icmini/Library/CloudStorage/GoogleDrive-ittipong.c@gmail.com"
            + "/My Drive/02luka/02luka-repo/[eval]\n"), message),
        () -> assertTrue(message.endsWith("Node.js v24.7.0"), message),
        () -> assertEquals(29, message.lines().count()));
  }

  @Test
  void checkAfterAStackTraceIsStillParsed() throws ReportFormatException {
    Heartbeat h = ReportParser.parse(Reports.real(Reports.STACK_TRACE));

    List<Check> api = h.checks().stream().filter(c -> c.section().equals("API Endpoints")).toList();
    assertEquals(List.of(new Check("API Endpoints", "API Health", Status.WARN, "Endpoint not responding")), api);
  }

  @Test
  void ciRunIsSkippedEverywhereTheMonitorSkipped() throws ReportFormatException {
    Heartbeat h = ReportParser.parse(Reports.real("heartbeat_2025-10-27_19-42-00.md"));

    assertEquals(new Check("LaunchAgents", "Status", Status.SKIPPED, "Skipped in CI"), h.checks().get(h.checks().size() - 1));
    assertEquals(Arrays.asList("skipped", "skipped", "warn", "skipped", "skipped"), row(h).subList(3, 8));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Skipped in CI | skipped", "SKIPPED | skipped", "was skipped. | skipped", "(skipped) | skipped",
      "not_skipped | error", "skippedX | error", "unskipped run | error", "skip ped | error",
      "caf\u00e9 skipped | skipped", "S\u212AIPPED | skipped", "\u017Fkipped | error", "\u0130 skipped | skipped",
      "\u0130skipped | skipped", "x\u0131skipped | error"})
  void aCheckThatSaysSkippedAsAWordIsSkippedWhateverItsCase(String message, String status) throws ReportFormatException {
    // The first line, lower-cased as java.util.Locale.ROOT does, holds the word "skipped" on its own.
    Heartbeat h = ReportParser.parse(withChecks("### Redis\n\n- **Status:** " + ERROR + " " + message + "\n\n"));

    assertEquals(status, h.checks().get(0).status().wire(), message);
  }

  @Test
  void theHeaderLinesAreReadAsTheirPatternsReadThem() {
    // Read by hand for speed; the patterns are the reference, white space and line terminators included.
    String[] parts = {" ", "\t", "\u000B", "\f", "\r", "\n", "\u0085", "\u2028", "\u2029", "\u00A0", "\u3000", "1",
        "39", "123456789", "1234567890", "ms", "MS", "m", "s", "x", "2025-10-28T14:06:52.941Z", "\u2705 HEALTHY", "*", "**"};
    String[] prefixes = {"**Timestamp:**", "**Status:**", "**Duration:**", "**Timestamp:*", "**timestamp:**", "**Status:** ", ""};
    java.util.Random random = new java.util.Random(20261128L);
    for (int n = 0; n < 50_000; n++) {
      StringBuilder line = new StringBuilder(prefixes[random.nextInt(prefixes.length)]);
      for (int k = random.nextInt(6); k > 0; k--) {
        line.append(parts[random.nextInt(parts.length)]);
      }
      String l = line.toString();
      assertEquals(captured(TIMESTAMP, l), ReportParser.field(l, ReportParser.TIMESTAMP_FIELD), l);
      assertEquals(captured(STATUS, l), ReportParser.field(l, ReportParser.STATUS_FIELD), l);
      assertEquals(captured(DURATION, l), ReportParser.duration(l), l);
    }
  }

  @Test
  void aMessageIsReadInPlaceAsItsStrippedCopiesReadIt() {
    // The reference is the parser before it read messages in place: strip, take the emoji, strip again.
    String[] parts = {" ", "\t", "\u000B", "\u001C", "\u2003", "\u3000", "\u00A0", "\u0085", "\r", "\n", "\u2705",
        "\u26A0", "\uFE0F", "\u274C", "\uD83D\uDE00", "\uD83D", "skipped", "Skipped", "SKIPPED_", "x", "Redis responding"};
    java.util.Random random = new java.util.Random(20261128L);
    for (int n = 0; n < 50_000; n++) {
      StringBuilder text = new StringBuilder();
      for (int k = random.nextInt(7); k > 0; k--) {
        text.append(parts[random.nextInt(parts.length)]);
      }
      String t = text.toString();
      int from = t.isEmpty() ? 0 : random.nextInt(t.length() + 1);
      assertEquals(strippedCopies("Redis", "Status", t.substring(from)), ReportParser.check("Redis", "Status", t, from),
          () -> "'" + t + "' from " + from);
    }
  }

  @Test
  void aCheckReadBeforeGivesWhatAFreshThreadReadsInEverySection() throws Exception {
    // The parser remembers the checks each thread read; a thread that read nothing before is the
    // reference. Checks repeat, move between sections, carry continuation lines (a stack trace) or not,
    // grow past what is remembered, and outnumber it.
    java.util.Random random = new java.util.Random(20261128L);
    String[] sections = {"Redis", "Database", "API Endpoints", "LaunchAgents"};
    String[] common = new String[40];
    for (int i = 0; i < common.length; i++) {
      String[] marks = {OK, WARN, ERROR, ""};
      common[i] = "- **Status " + (i % 5) + ":** " + marks[i % 4] + " message " + i + (i % 7 == 0 ? " skipped" : "")
          + (i % 3 == 0 ? "\n  at frame " + (i % 6) + "\n  at main" : "") + (i % 2 == 0 ? "\n" : "")
          + (i % 5 == 1 ? "\n \t\u2003" : ""); // a continuation line of white space only
    }
    int big = ReportParser.READ_CHARS / 64;
    for (int n = 0; n < 400; n++) {
      StringBuilder body = new StringBuilder();
      for (int k = 1 + random.nextInt(3); k > 0; k--) {
        body.append("### ").append(sections[random.nextInt(sections.length)]).append("\n\n");
        for (int j = 1 + random.nextInt(4); j > 0; j--) {
          int pick = random.nextInt(20);
          body.append(pick < 12 ? common[random.nextInt(common.length)]
              : pick < 14 ? "- **Trace:** " + ERROR + " failed\n  at frame " + random.nextInt(3) // one first line, three messages
              : pick < 17 ? "- **Unique:** " + OK + " report " + n + " line " + j
              : pick < 19 ? "- **Big:** " + ERROR + " " + n + " " + "y".repeat(big) + "\n  at frame " + j
              : "- **Too long to keep:** " + WARN + " " + "x".repeat(ReportParser.READ_CHARS / 16)).append('\n');
        }
        body.append('\n');
      }
      String text = withChecks(body.toString());
      java.util.concurrent.FutureTask<Heartbeat> reference = new java.util.concurrent.FutureTask<>(() -> ReportParser.parse(text));
      new Thread(reference).start();

      assertEquals(reference.get().checks(), ReportParser.parse(text).checks(), text);
    }
  }

  @Test
  void aBodyReadBeforeGivesWhatAFreshThreadReadsUnderEveryHeader() throws Exception {
    // The parser remembers the bodies each thread read; a thread that read nothing before is the
    // reference. Bodies repeat under headers that differ, fail or hold bad bytes; bodies differ in one
    // byte (the footer's closing star), in line ends, or hold a U+FFFD of their own.
    String real = Reports.realText(Reports.HEALTHY);
    String healthyBody = real.substring(real.indexOf("\n---\n") + 1);
    String[] bodies = {
        healthyBody,
        healthyBody.substring(0, healthyBody.lastIndexOf('*')), // cut before the footer's closing star
        healthyBody.replace("\n", "\r\n"),
        healthyBody.replace("Redis responding", "Redis \uFFFD responding"),
        healthyBody.replaceFirst(OK, ERROR), // as long, in bytes, as the healthy body
        "## Health Checks\n\n### Redis\n\n- **Status:** " + ERROR + " down\n  at frame 1\n\n---\r",
        "### Database\n\n- **Status:** " + WARN + " slow\n",
    };
    byte[][] headers = {
        "# OPS-Atomic Monitor Heartbeat\n\n**Timestamp:** 2025-10-28T14:06:52.941Z\n**Status:** \u2705 HEALTHY\n**Duration:** 78ms\n\n".getBytes(UTF_8),
        "# OPS-Atomic Monitor Heartbeat\r\n\r\n**Timestamp:** 2025-10-28T14:11:52Z\r\n**Status:** \u274C CRITICAL\r\n\r\n".getBytes(UTF_8),
        concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
            "# Heartbeat\n**Status:** \u26A0\uFE0F WARNINGS\n**Timestamp:** 2025-10-28T15:00:00+07:00\n".getBytes(UTF_8)),
        "# Heartbeat\n**Timestamp:** 2025-10-28T14:16:52Z\n\n".getBytes(UTF_8), // no status
        "# Heartbeat\n**Timestamp:** 2099-01-01T00:00:00Z\n**Status:** \u2705 HEALTHY\n".getBytes(UTF_8), // in the future
        concat("# Heartbeat\n**Timestamp:** 2025-10-28T14:21:52Z\n**Status:** \u2705 HEALTHY ".getBytes(UTF_8),
            new byte[] {(byte) 0xC3, '\n'}), // not UTF-8
        "**Timestamp:** 2025-10-28T14:26:52Z\n**Status:** \u2705 HEALTHY\n".getBytes(UTF_8), // the body starts on line 3
    };
    Instant notAfter = Instant.parse("2030-01-01T00:00:00Z");
    java.util.Random random = new java.util.Random(20261128L);
    for (int n = 0; n < 300; n++) {
      byte[] report = concat(headers[random.nextInt(headers.length)], bodies[random.nextInt(bodies.length)].getBytes(UTF_8));
      java.util.concurrent.FutureTask<String> reference = new java.util.concurrent.FutureTask<>(() -> read(report, notAfter));
      new Thread(reference).start();

      assertEquals(reference.get(), read(report, notAfter), new String(report, UTF_8));
    }
  }

  /** What parsing {@code report} gives, as text: the heartbeat, or the refusal with its line. */
  private static String read(byte[] report, Instant notAfter) {
    try {
      return ReportParser.parse(report, notAfter).toString();
    } catch (ReportFormatException e) {
      return "refused at line " + e.line() + ": " + e.getMessage();
    }
  }

  @Test
  void continuationLinesOfWhiteSpaceLeaveTheMessageAsStrippingTheJoinedLinesDoes() throws ReportFormatException {
    // Blank continuation lines let the parser read the bullet's line alone; the reference joins them.
    String[] lines = {"", " ", "\t", "\u2003", "\u000B", "\u001C", "\u00A0", "\u0085", "  at frame 1"};
    java.util.Random random = new java.util.Random(20261128L);
    for (int n = 0; n < 2_000; n++) {
      StringBuilder raw = new StringBuilder(ERROR + " failed " + n);
      for (int k = random.nextInt(4); k > 0; k--) {
        raw.append('\n').append(lines[random.nextInt(lines.length)]);
      }
      raw.append('\n'); // the blank line before the next section
      Heartbeat h = ReportParser.parse(withChecks("### Redis\n\n- **Status:** " + raw + "\n"));
      assertEquals(strippedCopies("Redis", "Status", raw + "\n"), h.checks().get(0), raw.toString());
    }
  }

  /** How the parser read a check before: from copies of the message, stripped before and after its emoji. */
  private static Check strippedCopies(String section, String label, String rawMessage) {
    String raw = rawMessage.strip();
    Status status;
    String message;
    if (raw.startsWith("\u2705")) {
      status = Status.OK;
      message = raw.substring(1);
    } else if (raw.startsWith("\u26A0")) {
      status = Status.WARN;
      message = raw.substring(1);
      if (message.startsWith("\uFE0F")) {
        message = message.substring(1);
      }
    } else if (raw.startsWith("\u274C")) {
      status = Status.ERROR;
      message = raw.substring(1);
    } else {
      status = null;
      message = raw;
    }
    message = message.strip();
    String first = message.indexOf('\n') < 0 ? message : message.substring(0, message.indexOf('\n'));
    if (status != null && ReportParser.saysSkipped(first)) {
      status = Status.SKIPPED;
    }
    return new Check(section, label, status, message);
  }

  /** The header's patterns, which the parser read its lines with before it read them by hand. */
  private static final java.util.regex.Pattern TIMESTAMP =
      java.util.regex.Pattern.compile("^\\*\\*Timestamp:\\*\\*\\s*(.*?)\\s*$");
  private static final java.util.regex.Pattern STATUS =
      java.util.regex.Pattern.compile("^\\*\\*Status:\\*\\*\\s*(.*?)\\s*$");
  private static final java.util.regex.Pattern DURATION =
      java.util.regex.Pattern.compile("^\\*\\*Duration:\\*\\*\\s*(\\d{1,9})\\s*ms\\s*$");

  private static String captured(java.util.regex.Pattern p, String line) {
    java.util.regex.Matcher m = p.matcher(line);
    return m.matches() ? m.group(1) : null;
  }

  @Test
  void missingSectionGivesNull() throws ReportFormatException {
    String text = Reports.realText(Reports.HEALTHY)
        .replace("### Redis\n\n- **Status:** " + OK + " Redis responding\n\n", "");

    Heartbeat h = ReportParser.parse(text);

    assertNull(h.sectionStatus("Redis"));
    assertEquals(Arrays.asList(null, "ok", "ok", "loaded", "loaded"), row(h).subList(3, 8));
  }

  @Test
  void missingAgentBulletGivesNull() throws ReportFormatException {
    String text = Reports.realText(Reports.HEALTHY)
        .replace("- **com.02luka.digest:** " + OK + " LaunchAgent loaded\n", "");

    Heartbeat h = ReportParser.parse(text);

    assertEquals("loaded", h.launchAgent(Heartbeat.OPTIMIZER_AGENT));
    assertNull(h.launchAgent(Heartbeat.DIGEST_AGENT));
  }

  @Test
  void unknownCheckIsKept() throws ReportFormatException {
    String text = withChecks("""
        ### Redis

        - **Status:** %1$s Redis responding

        ### Disk

        - **Usage:** %2$s 91%% full

        ### Database

        - **Status:** %1$s Database file exists

        """.formatted(OK, WARN));

    Heartbeat h = ReportParser.parse(text);

    assertEquals(List.of(
        new Check("Redis", "Status", Status.OK, "Redis responding"),
        new Check("Disk", "Usage", Status.WARN, "91% full"),
        new Check("Database", "Status", Status.OK, "Database file exists")), h.checks().subList(0, 3));
  }

  @Test
  void firstOccurrenceOfARepeatedSectionWinsAndAllAreKept() throws ReportFormatException {
    String text = withChecks("""
        ### Database

        - **Status:** %1$s Database file exists

        ### Redis

        - **Status:** %2$s Redis not responding: undefined

        ### Database

        - **Status:** %2$s Database file not found

        """.formatted(OK, ERROR));

    Heartbeat h = ReportParser.parse(text);

    assertEquals(Status.ERROR, h.sectionStatus("Redis"));
    assertEquals(Status.OK, h.sectionStatus("Database"));
    assertEquals(List.of("Database/ok", "Redis/error", "Database/error"),
        h.checks().stream().limit(3).map(c -> c.section() + "/" + c.status().wire()).toList());
  }

  @Test
  void crlfEndingsParseLikeLf() throws ReportFormatException {
    String lf = Reports.realText(Reports.STACK_TRACE);

    Heartbeat crlf = ReportParser.parse(lf.replace("\n", "\r\n").getBytes(UTF_8));

    assertEquals(ReportParser.parse(lf), crlf);
  }

  @Test
  void byteOrderMarkIsDropped() throws ReportFormatException {
    byte[] plain = Reports.real(Reports.HEALTHY);

    Heartbeat withBom = ReportParser.parse(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, plain));

    assertEquals(ReportParser.parse(plain), withBom);
  }

  @Test
  void invalidUtf8IsRefusedWithItsLine() {
    String text = Reports.realText(Reports.HEALTHY);
    int at = text.indexOf("**Duration:**");
    byte[] bytes = concat(text.substring(0, at).getBytes(UTF_8), new byte[] {(byte) 0xFF},
        text.substring(at).getBytes(UTF_8));

    ReportFormatException e = assertThrows(ReportFormatException.class, () -> ReportParser.parse(bytes));

    assertEquals(5, e.line());
    assertTrue(e.getMessage().startsWith("line 5: expected UTF-8"), e.getMessage());
  }

  @Test
  void aReplacementCharacterWrittenByTheMonitorIsText() throws ReportFormatException {
    String text = Reports.realText(Reports.HEALTHY);
    int at = text.indexOf("\n- **") + 1;
    String withIt = text.substring(0, at) + "- **Odd:** \u2705 bytes \uFFFD shown\n" + text.substring(at);

    Heartbeat h = ReportParser.parse(withIt.getBytes(UTF_8));

    assertTrue(h.checks().stream().anyMatch(c -> c.message().equals("bytes \uFFFD shown")), String.valueOf(h.checks()));
  }

  @Test
  void aSurrogateEncodedAsUtf8IsRefusedWithItsLine() {
    String text = Reports.realText(Reports.HEALTHY);
    int at = text.indexOf("**Duration:**");
    byte[] bytes = concat(text.substring(0, at).getBytes(UTF_8), new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        text.substring(at).getBytes(UTF_8));

    ReportFormatException e = assertThrows(ReportFormatException.class, () -> ReportParser.parse(bytes));

    assertEquals(5, e.line());
    assertTrue(e.getMessage().startsWith("line 5: expected UTF-8"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"2025-10-28T14:06:52.941Z", "2025-10-28T14:06:52Z", "2025-10-28T14:06:52.9Z",
      "2025-10-28T14:06:52.123456789Z", "2024-02-29T23:59:59.5Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z"})
  void theMonitorsShapeIsReadAsTheIsoFormatterReadsIt(String value) {
    assertEquals(OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant(), ReportParser.utcInstant(value));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2025-02-29T10:00:00Z", "2025-10-28T24:00:00Z", "2025-10-28T23:59:60Z", "2025-13-01T00:00:00Z",
      "2025-10-28t14:06:52Z", "2025-10-28T14:06:52z", "2025-10-28T14:06:52+00:00", "2025-10-28T14:06:52.Z",
      "2025-10-28T14:06:52.1234567890Z", "2025-10-28T14:06Z", "+2025-10-28T14:06:52Z", "2025-1a-28T14:06:52Z", ""})
  void anyOtherTextIsLeftToTheFormatter(String value) {
    assertNull(ReportParser.utcInstant(value));
  }

  static Stream<byte[]> notReports() {
    return Stream.of(
        new byte[0],
        " \n\t\n   \n".getBytes(UTF_8),
        new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, '\r'},
        new byte[64]);
  }

  @ParameterizedTest
  @MethodSource("notReports")
  void emptyBlankOrBinaryIsRefused(byte[] bytes) {
    ReportFormatException e = assertThrows(ReportFormatException.class, () -> ReportParser.parse(bytes));

    assertTrue(e.getMessage().contains("expected"), e.getMessage());
  }

  @Test
  void missingTimestampSaysWhatWasExpected() {
    String text = Reports.realText(Reports.HEALTHY).replace("**Timestamp:** 2025-10-27T21:40:31.871Z\n", "");

    ReportFormatException e = assertThrows(ReportFormatException.class, () -> ReportParser.parse(text));

    assertTrue(e.getMessage().contains("expected a '**Timestamp:** <ISO-8601 instant>' line"), e.getMessage());
  }

  @Test
  void impossibleTimestampIsRefusedAtLine3() {
    String text = Reports.realText(Reports.HEALTHY)
        .replace("2025-10-27T21:40:31.871Z", "2025-13-45T21:40:31.871Z");

    ReportFormatException e = assertThrows(ReportFormatException.class, () -> ReportParser.parse(text));

    assertEquals(3, e.line());
    assertTrue(e.getMessage().contains("found '2025-13-45T21:40:31.871Z'"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {OK + " GREAT", ERROR + " UNHEALTHY", ""})
  void unknownStatusIsRefusedAtLine4(String status) {
    String text = Reports.realText(Reports.HEALTHY)
        .replace("**Status:** " + OK + " HEALTHY", "**Status:** " + status);

    ReportFormatException e = assertThrows(ReportFormatException.class, () -> ReportParser.parse(text));

    assertEquals(4, e.line());
    assertTrue(e.getMessage().contains("expected '**Status:**' to be one of"), e.getMessage());
  }

  @Test
  void timestampYearsAheadIsRefusedWhenNotAfterIsGiven() throws ReportFormatException {
    byte[] bytes = Reports.realText(Reports.HEALTHY).replace("2025-10-27T21:40", "2031-10-27T21:40").getBytes(UTF_8);
    Instant now = Instant.parse("2025-10-28T00:00:00Z");

    ReportFormatException e = assertThrows(ReportFormatException.class, () -> ReportParser.parse(bytes, now));

    assertEquals(3, e.line());
    assertTrue(e.getMessage().contains("in the future"), e.getMessage());
    assertEquals(Instant.parse("2031-10-27T21:40:31.871Z"), ReportParser.parse(bytes).timestamp());
  }

  @Test
  void fileCutBeforeTheFooterIsIncomplete() throws ReportFormatException {
    String text = Reports.realText(Reports.HEALTHY);
    String cut = text.substring(0, text.indexOf("*Generated by"));

    Heartbeat h = ReportParser.parse(cut);

    assertFalse(h.complete());
    assertEquals(Status.OK, h.status());
  }

  @ParameterizedTest
  @ValueSource(strings = {"heartbeat_2025-10-28_14-06-52.md", "heartbeat_2025-10-28_14-06-52 2.md"})
  void heartbeatNames(String name) {
    assertTrue(ReportParser.isHeartbeatName(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"OPS_ATOMIC_251016_144039.md", "parquet_export_summary_20251029.md", "heartbeat_x.txt",
      "heartbeat_2025-10-28_14-06-52.md.tmp"})
  void otherNamesAreNotHeartbeats(String name) {
    assertFalse(ReportParser.isHeartbeatName(name));
  }

  /** The healthy real report with its check sections replaced by {@code sections}. */
  private static String withChecks(String sections) {
    String real = Reports.realText(Reports.HEALTHY);
    return real.substring(0, real.indexOf("### Redis")) + sections + real.substring(real.indexOf("### API Endpoints"));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
