package com.luka02.heartbeat.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.luka02.heartbeat.agent.HttpBackend;
import com.luka02.heartbeat.fixtures.ReportText;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a web page can make a browser send to the agent, sent by hand over loopback: cross-site
 * POSTs with the bodies a page may send without a preflight, DNS-rebound {@code Host} names, forged
 * origins and preflights. Each must be refused and, where it asked for work, leave the store and the
 * archive as they were; the same requests from the CLI must still work.
 */
class BrowserRequestAttackTest {
  private static final String EVIL = "https://evil.example";
  private static final String CLIENT = HttpBackend.CLIENT_HEADER + ": 1";
  private static final String ROLLOVER_TODAY = "/rollover?date=" + AttackedAgent.TODAY;
  /** Every route, the status page's files included. */
  private static final List<String> ROUTES = List.of("/", "/index.html", "/static/status.js", "/api/latest",
      "/api/timeline", "/api/rollovers", "/health", "/metrics", "/status", "/query?sql=SELECT%20*%20FROM%20heartbeats",
      "/no-such-route");

  @TempDir static java.nio.file.Path root;
  private static AttackedAgent target;
  private static int port;

  @BeforeAll
  static void start() throws IOException {
    target = AttackedAgent.start(root, "");
    port = target.port();
  }

  @AfterAll
  static void stop() {
    if (target != null) {
      target.close();
    }
  }

  private static String host() {
    return "Host: 127.0.0.1:" + port;
  }

  // ---------------------------------------------------------------- the issue's examples

  static Stream<Arguments> issueExamples() {
    List<Arguments> out = new ArrayList<>();
    for (String path : List.of("/catchup?reparse=true", "/rollover", ROLLOVER_TODAY)) {
      out.add(Arguments.of(path, "text/plain;charset=UTF-8", "reparse=true"));
      out.add(Arguments.of(path, "application/x-www-form-urlencoded", "reparse=true&date=" + AttackedAgent.TODAY));
      out.add(Arguments.of(path, "multipart/form-data; boundary=b",
          "--b\r\nContent-Disposition: form-data; name=\"reparse\"\r\n\r\ntrue\r\n--b--\r\n"));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "POST {0} as {1} from https://evil.example")
  @MethodSource("issueExamples")
  void postFromAnotherOriginWithASimpleBodyChangesNothing(String path, String type, String body) throws IOException {
    String before = freshEffects();

    RawHttp.Response r = RawHttp.send(port, "POST", path, List.of(host(), "Origin: " + EVIL, "Content-Type: " + type,
        "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: no-cors"), body);

    assertRefused(403, r, "Sec-Fetch-Site: cross-site");
    assertEquals(before, target.effects(), "the refused POST had an effect");
  }

  @ParameterizedTest(name = "POST {0} as {1} from https://evil.example, without Sec-Fetch-Site")
  @MethodSource("issueExamples")
  void postFromAnotherOriginIsRefusedOnItsOriginAlone(String path, String type, String body) throws IOException {
    String before = freshEffects();

    RawHttp.Response r = RawHttp.send(port, "POST", path, List.of(host(), "Origin: " + EVIL, "Content-Type: " + type),
        body);

    assertRefused(403, r, "'" + EVIL + "'", "http://127.0.0.1:" + port);
    assertEquals(before, target.effects(), "the refused POST had an effect");
  }

  @Test
  void hostOfARebindingNameIsRefusedOnEveryRoute() throws IOException {
    for (String path : ROUTES) {
      RawHttp.Response r = RawHttp.send(port, "GET", path, List.of("Host: evil.example:" + port, CLIENT), null);

      assertRefused(421, r, "127.0.0.1:" + port, "'evil.example:" + port + "'");
      assertNoData(r);
    }
  }

  // ---------------------------------------------------------------- variations: Host

  @ParameterizedTest(name = "Host: {0}")
  @ValueSource(strings = {"evil.example", "127.0.0.1:OTHER", "localhost:OTHER", "127.0.0.1", "localhost",
      "localhost.:PORT", "127.0.0.2:PORT", "0.0.0.0:PORT", "[::ffff:127.0.0.1]:PORT", "2130706433:PORT",
      "127.1:PORT", "[::1]", "localhost:PORT.evil.example", "evil.example:PORT@localhost", "", "127.0.0.1:PORT:PORT"})
  void otherHostsAreRefusedOnEveryRoute(String name) throws IOException {
    String host = name.replace("OTHER", String.valueOf(port + 1)).replace("PORT", String.valueOf(port));
    for (String path : ROUTES) {
      RawHttp.Response r = RawHttp.send(port, "GET", path, List.of("Host: " + host, CLIENT), null);

      assertHostRefused(r);
      assertNoData(r);
    }
  }

  @Test
  void rebindingPageCannotPostEvenWithTheClientHeader() throws IOException {
    // After DNS rebinding the page is same-origin with the agent, so it can send any header without a
    // preflight: only the Host tells this request from the CLI's.
    String before = freshEffects();

    for (String path : List.of("/catchup?reparse=true", ROLLOVER_TODAY)) {
      RawHttp.Response r = RawHttp.send(port, "POST", path, List.of("Host: evil.example:" + port, CLIENT,
          "Sec-Fetch-Site: same-origin", "Origin: http://evil.example:" + port), "");

      assertRefused(421, r, "'evil.example:" + port + "'");
    }
    assertEquals(before, target.effects(), "the refused POST had an effect");
  }

  @Test
  void headWithARebindingNameIsRefusedWithoutABody() throws IOException {
    for (String path : ROUTES) {
      RawHttp.Response r = RawHttp.send(port, "HEAD", path, List.of("Host: evil.example:" + port, CLIENT), null);

      assertEquals(421, r.status(), path);
      assertEquals("", r.body(), path);
      assertFalse(r.grantsCors());
    }
  }

  @Test
  void missingRepeatedOrAbsoluteHostIsRefused() throws IOException {
    RawHttp.Response none = RawHttp.send(port, "GET", "/api/latest", List.of(), null);
    assertRefused(400, none, "well-formed Host header", "No Host");
    assertNoData(none);
    RawHttp.Response two = RawHttp.send(port, "GET", "/status", List.of(host(), "Host: evil.example:" + port, CLIENT), null);
    assertRefused(400, two, "Duplicate Host");
    assertNoData(two);
    RawHttp.Response absolute = RawHttp.send(port, "GET", "http://evil.example:" + port + "/api/latest",
        List.of(host()), null);
    assertRefused(400, absolute, "Authority!=Host");
    assertNoData(absolute);
  }

  @ParameterizedTest(name = "Host: {0}")
  @ValueSource(strings = {"127.0.0.1:PORT", "localhost:PORT", "LOCALHOST:PORT", "[::1]:PORT"})
  void loopbackNamesWithTheAgentsPortAreServed(String name) throws IOException {
    String host = name.replace("PORT", String.valueOf(port));

    RawHttp.Response r = RawHttp.send(port, "GET", "/api/latest", List.of("Host: " + host), null);

    assertEquals(200, r.status(), r.body());
    assertTrue(r.body().contains("heartbeat_2026-03-10_"), "the latest report: " + r.body());
    assertFalse(r.grantsCors());
  }

  // ---------------------------------------------------------------- variations: Origin and Sec-Fetch-Site

  @ParameterizedTest(name = "Origin: {0}")
  @ValueSource(strings = {"null", EVIL, "http://127.0.0.1:OTHER", "http://localhost:PORT", "https://127.0.0.1:PORT",
      "http://127.0.0.1:PORT.evil.example", "http://127.0.0.1", "http://evil.example:PORT", "", "file://"})
  void otherOriginsAreRefusedEvenWithTheClientHeader(String value) throws IOException {
    String origin = value.replace("OTHER", String.valueOf(port + 1)).replace("PORT", String.valueOf(port));
    String before = freshEffects();

    RawHttp.Response post = RawHttp.send(port, "POST", ROLLOVER_TODAY, List.of(host(), CLIENT, "Origin: " + origin), "");
    RawHttp.Response read = RawHttp.send(port, "GET", "/api/latest", List.of(host(), "Origin: " + origin), null);

    assertRefused(403, post, "expected no Origin or http://127.0.0.1:" + port);
    assertRefused(403, read, "expected no Origin or http://127.0.0.1:" + port);
    assertNoData(read);
    assertEquals(before, target.effects(), "the refused POST had an effect");
  }

  @ParameterizedTest(name = "Sec-Fetch-Site: {0}")
  @ValueSource(strings = {"cross-site", "same-site", "CROSS-SITE", "bogus"})
  void otherSitesAreRefusedWithoutAnOriginAndEvenWithTheClientHeader(String site) throws IOException {
    String before = freshEffects();

    RawHttp.Response post = RawHttp.send(port, "POST", "/catchup?reparse=true",
        List.of(host(), CLIENT, "Sec-Fetch-Site: " + site), "");
    RawHttp.Response img = RawHttp.send(port, "GET", "/query?sql=SELECT%201", List.of(host(), CLIENT,
        "Sec-Fetch-Site: " + site, "Sec-Fetch-Dest: image"), null);
    RawHttp.Response read = RawHttp.send(port, "GET", "/api/latest", List.of(host(), "Sec-Fetch-Site: " + site), null);

    assertRefused(403, post, "Sec-Fetch-Site: " + site, "expected same-origin or none");
    assertRefused(403, img, "Sec-Fetch-Site: " + site);
    assertRefused(403, read, "Sec-Fetch-Site: " + site);
    assertNoData(read);
    assertEquals(before, target.effects(), "the refused POST had an effect");
  }

  @Test
  void theAgentsOwnPageIsServedAsABrowserSendsIt() throws IOException {
    String self = "http://127.0.0.1:" + port;

    RawHttp.Response fetched = RawHttp.send(port, "GET", "/api/latest",
        List.of(host(), "Sec-Fetch-Site: same-origin", "Sec-Fetch-Mode: cors", "Origin: " + self), null);
    RawHttp.Response typed = RawHttp.send(port, "GET", "/", List.of(host(), "Sec-Fetch-Site: none"), null);

    assertEquals(200, fetched.status(), fetched.body());
    assertTrue(fetched.body().contains("heartbeat_2026-03-10_"), fetched.body());
    assertEquals(200, typed.status(), typed.body());
    assertFalse(fetched.grantsCors() || typed.grantsCors(), "no CORS headers");
  }

  // ---------------------------------------------------------------- variations: methods and the client header

  @Test
  void preflightsGetNoCorsPermissionOnAnyRoute() throws IOException {
    for (String path : ROUTES) {
      RawHttp.Response crossSite = RawHttp.send(port, "OPTIONS", path, List.of(host(), "Origin: " + EVIL,
          "Access-Control-Request-Method: POST", "Access-Control-Request-Headers: x-heartbeat-client"), null);
      RawHttp.Response plain = RawHttp.send(port, "OPTIONS", path, List.of(host()), null);

      assertRefused(403, crossSite, EVIL);
      assertRefused(405, plain, "no CORS");
    }
  }

  @Test
  void postWithoutTheClientHeaderIsRefusedNamingIt() throws IOException {
    String before = freshEffects();

    // As a browser without Origin or Sec-Fetch-* would send a form: the header is all that is left.
    for (String path : List.of("/catchup?reparse=true", "/rollover", ROLLOVER_TODAY)) {
      RawHttp.Response r = RawHttp.send(port, "POST", path,
          List.of(host(), "Content-Type: application/x-www-form-urlencoded"), "a=b");

      assertRefused(403, r, "expected the header 'X-Heartbeat-Client: 1' on POST " + path.split("\\?")[0]);
    }
    RawHttp.Response put = RawHttp.send(port, "PUT", "/api/latest", List.of(host()), "");
    assertRefused(403, put, "X-Heartbeat-Client");
    assertEquals(before, target.effects(), "the refused POST had an effect");
  }

  @Test
  void cliRoutesNeedTheClientHeaderForReadsToo() throws IOException {
    // A cross-site <img src=".../query?sql=..."> cannot read the answer, but it would make the agent work.
    for (String path : List.of("/query?sql=SELECT%20count(*)%20FROM%20heartbeats", "/status")) {
      RawHttp.Response r = RawHttp.send(port, "GET", path, List.of(host(), "Accept: image/avif,image/webp,*/*"), null);

      assertRefused(403, r, "expected the header 'X-Heartbeat-Client: 1' on GET " + path.split("\\?")[0]);
      assertNoData(r);
    }
  }

  @Test
  void withATokenAPageIsRefusedBeforeTheTokenCheckAndTheCliStillWorks(@TempDir java.nio.file.Path other)
      throws Exception {
    String token = "a-token-of-enough-length-0123";
    java.nio.file.Path file = Files.writeString(other.resolve("token"), token);
    Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    try (AttackedAgent guarded = AttackedAgent.start(other, ", \"apiTokenFile\": \"token\"")) {
      int p = guarded.port();
      String before = guarded.effects();

      RawHttp.Response page = RawHttp.send(p, "POST", ROLLOVER_TODAY,
          List.of("Host: 127.0.0.1:" + p, "Origin: " + EVIL, "Content-Type: text/plain"), "x");
      RawHttp.Response rebound = RawHttp.send(p, "GET", "/api/latest",
          List.of("Host: evil.example:" + p, "Authorization: Bearer " + token), null);

      // A page learns nothing, not even that a token is wanted; the token does not open a rebound name.
      assertRefused(403, page, EVIL);
      assertRefused(421, rebound, "evil.example");
      assertEquals(before, guarded.effects());
      try (HttpBackend cli = new HttpBackend(guarded.agent.info(), com.luka02.heartbeat.serve.ApiToken.load(file))) {
        assertEquals(48, cli.status().rowsTotal());
      }
    }
  }

  // ---------------------------------------------------------------- the same requests from the CLI

  @Test
  void rolloverWithTheClientHeaderExportsTheDay() throws IOException {
    String before = freshEffects();

    RawHttp.Response r = RawHttp.send(port, "POST", ROLLOVER_TODAY, List.of(host(), CLIENT), "");

    assertEquals(200, r.status(), r.body());
    String after = target.effects();
    assertNotEquals(before, after, "a rollover that ran changed the fingerprint");
    assertTrue(after.contains(AttackedAgent.TODAY.toString()) && after.contains(".parquet"), after);
  }

  @Test
  void catchupWithReparseAndTheClientHeaderRestagesEveryReport() throws IOException {
    String before = freshEffects();

    RawHttp.Response r = RawHttp.send(port, "POST", "/catchup?reparse=true", List.of(host(), CLIENT), "");

    assertEquals(200, r.status(), r.body());
    assertNotEquals(before, target.effects(), "a catch-up that ran changed the fingerprint");
  }

  @Test
  void refusalsAreCountedByReasonInTheMetrics() throws IOException {
    List<String> reasons = List.of("host", "cross_site", "method", "client_header");
    double[] before = reasons.stream().mapToDouble(BrowserRequestAttackTest::refused).toArray();

    RawHttp.send(port, "GET", "/health", List.of("Host: evil.example:" + port), null);
    RawHttp.send(port, "GET", "/health", List.of(host(), "Origin: " + EVIL), null);
    RawHttp.send(port, "OPTIONS", "/health", List.of(host()), null);
    RawHttp.send(port, "POST", "/rollover", List.of(host()), "");

    for (int i = 0; i < reasons.size(); i++) {
      assertEquals(before[i] + 1, refused(reasons.get(i)), reasons.get(i));
    }
  }

  /** {@code heartbeat_http_refused_total{reason=...}} as the agent serves it now. */
  static double refused(String reason) {
    return refused(port, reason);
  }

  /** The same, of the agent on {@code agentPort}. */
  static double refused(int agentPort, String reason) {
    try {
      String metrics = RawHttp.send(agentPort, "GET", "/metrics", List.of("Host: 127.0.0.1:" + agentPort), null).body();
      Matcher m = Pattern.compile("(?m)^heartbeat_http_refused_total\\{reason=\"" + reason + "\"} (\\S+)$").matcher(metrics);
      assertTrue(m.find(), "no refusal count for " + reason + " in:\n" + metrics);
      return Double.parseDouble(m.group(1));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------- helpers

  /**
   * The fingerprint, after moving the agent's clock on a minute: any work a request did afterwards
   * leaves a new timestamp, even work that an earlier request already did.
   */
  private static String freshEffects() throws IOException {
    target.clock.advance(Duration.ofMinutes(1));
    return target.effects();
  }

  /**
   * A Host that is not the agent's: 421 from the guard, or 400 from the HTTP parser when the value is
   * not even a well-formed host and port (missing, blank, two ports, user info).
   */
  private static void assertHostRefused(RawHttp.Response r) {
    if (r.status() == 400) {
      assertRefused(400, r, "well-formed Host header");
    } else {
      assertRefused(421, r, "expected the Host header");
    }
  }

  private static void assertRefused(int status, RawHttp.Response r, String... mentions) {
    assertEquals(status, r.status(), r.body());
    assertFalse(r.grantsCors(), "no Access-Control-* header: " + r.headers());
    assertTrue(r.headers().getOrDefault("content-type", List.of()).toString().contains("application/json"), r.headers().toString());
    assertTrue(r.body().startsWith("{\"error\":"), r.body());
    for (String m : mentions) {
      assertTrue(r.body().contains(m), "expected '" + m + "' in " + r.body());
    }
  }

  /** Nothing from the store or the page: no report name, no counts, no page code. */
  private static void assertNoData(RawHttp.Response r) throws IOException {
    for (String secret : List.of("heartbeat_2026", "rowsTotal", "heartbeat_reports_staged_total", "<html",
        "fetch(", ReportText.name(AttackedAgent.NOW.minusSeconds(300)))) {
      assertFalse(r.body().contains(secret), "'" + secret + "' leaked in " + r.body());
    }
    assertTrue(Files.isDirectory(root), "the tree is still there");
  }
}
