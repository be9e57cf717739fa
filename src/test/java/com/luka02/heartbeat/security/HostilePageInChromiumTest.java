package com.luka02.heartbeat.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.luka02.heartbeat.testing.Chromium;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile pages in a real headless Chromium against a real agent: one served by another program on
 * loopback (another port, so the same site to the browser) and one on a DNS-rebound name. Each tries
 * every request a page can make; the agent must do nothing, and its own page must still work.
 */
class HostilePageInChromiumTest {
  /** The hostile page's script: each attempt logs its outcome, then the body is marked done. */
  private static final String SCRIPT = """
      const out = document.getElementById('log');
      const log = (m) => { out.textContent += m + '\\n'; };
      async function attempt(name, url, init) {
        try {
          const r = await fetch(url, init);
          log(name + ': ' + r.type + ' ' + r.status + ' ' + (r.type === 'opaque' ? '' : await r.text()));
        } catch (e) {
          log(name + ': blocked (' + e.message + ')');
        }
      }
      function image(name, url) {
        return new Promise((done) => {
          const img = new Image();
          img.onload = () => { log(name + ': loaded'); done(); };
          img.onerror = () => { log(name + ': failed'); done(); };
          img.src = url;
        });
      }
      function form(name, action) {
        return new Promise((done) => {
          const sink = document.getElementById('sink');
          sink.onload = () => { log(name + ': submitted'); done(); };
          const f = document.getElementById('form');
          f.action = action;
          f.submit();
        });
      }
      """;

  @TempDir Path root;
  @TempDir Path browserHome;
  private AttackedAgent target;
  private HttpServer otherProgram;

  @BeforeEach
  void start() throws IOException {
    target = AttackedAgent.start(root, "");
  }

  @AfterEach
  void stop() {
    if (otherProgram != null) {
      otherProgram.stop(0);
    }
    if (target != null) {
      target.close();
    }
  }

  @Test
  void pageOfAnotherLocalProgramCannotMakeTheAgentWorkOrReadIt() throws Exception {
    Chromium chromium = Chromium.in(browserHome);
    String agent = "http://127.0.0.1:" + target.port();
    String rollover = agent + "/rollover?date=" + AttackedAgent.TODAY;
    String catchup = agent + "/catchup?reparse=true";
    String query = agent + "/query?sql=" + URLEncoder.encode("SELECT filename FROM heartbeats", StandardCharsets.UTF_8);
    String page = hostilePage("""
        await attempt('rollover as text/plain', '%1$s', {method: 'POST', mode: 'no-cors', body: 'x',
            headers: {'Content-Type': 'text/plain'}});
        await attempt('catch-up as a form', '%2$s', {method: 'POST', mode: 'no-cors',
            body: new URLSearchParams({reparse: 'true'})});
        await attempt('catch-up in cors mode', '%2$s', {method: 'POST', body: 'reparse=true'});
        await attempt('rollover with the client header', '%1$s', {method: 'POST',
            headers: {'X-Heartbeat-Client': '1'}});
        await attempt('read the latest report', '%3$s/api/latest', {});
        await attempt('query', '%4$s', {mode: 'no-cors'});
        await image('query as an image', '%4$s&img=1');
        await form('rollover as a form', '%1$s');
        """.formatted(rollover, catchup, agent, query));
    otherProgram = serve(page);
    String before = target.effects();
    double refusedBefore = refusedTotal();

    String dom = chromium.dumpDom("other-program", "http://127.0.0.1:" + otherProgram.getAddress().getPort() + "/");

    assertTrue(dom.contains("data-done=\"yes\""), "the hostile script ran to its end:\n" + dom);
    assertTrue(dom.contains("rollover with the client header: blocked"), "the preflight was refused:\n" + dom);
    assertTrue(dom.contains("read the latest report: blocked"), dom);
    assertFalse(dom.contains("heartbeat_2026"), "the page read the store:\n" + dom);
    assertEquals(before, target.effects(), "the hostile page made the agent work");
    // Seven requests and one preflight left the browser; the agent refused every one.
    assertTrue(refusedTotal() - refusedBefore >= 8, "refusals: " + (refusedTotal() - refusedBefore) + "\n" + dom);
    assertOwnPageStillWorks(chromium);
  }

  @Test
  void rebindingPageCanReachTheAgentButGetsNothingFromIt() throws Exception {
    Chromium chromium = Chromium.in(browserHome);
    String page = hostilePage("""
        await attempt('read the latest report', '/api/latest', {});
        await attempt('query', '/query?sql=SELECT%%20filename%%20FROM%%20heartbeats',
            {headers: {'X-Heartbeat-Client': '1'}});
        await attempt('rollover', '/rollover?date=%s', {method: 'POST', headers: {'X-Heartbeat-Client': '1'}});
        await attempt('catch-up', '/catchup?reparse=true', {method: 'POST', headers: {'X-Heartbeat-Client': '1'}});
        """.formatted(AttackedAgent.TODAY));
    String before = target.effects();
    double refusedBefore = BrowserRequestAttackTest.refused(target.port(), "host");

    String dom;
    try (RebindingHost rebound = RebindingHost.start(target.port(), page)) {
      dom = chromium.dumpDom("rebinding", "http://rebind.example:" + target.port() + "/",
          "--host-resolver-rules=MAP rebind.example 127.0.0.2", "--disable-features=HttpsUpgrades");
      assertTrue(rebound.forwarded() > 0, "the page's requests went through to the agent:\n" + dom);
    }

    assertTrue(dom.contains("data-done=\"yes\""), "the hostile script ran to its end:\n" + dom);
    for (String name : List.of("read the latest report", "query", "rollover", "catch-up")) {
      assertTrue(dom.contains(name + ": basic 421 {\"error\":\"expected the Host header 127.0.0.1:" + target.port()),
          name + " was refused on its Host:\n" + dom);
    }
    assertFalse(dom.contains("heartbeat_2026"), "the page read the store:\n" + dom);
    assertEquals(before, target.effects(), "the hostile page made the agent work");
    assertTrue(BrowserRequestAttackTest.refused(target.port(), "host") - refusedBefore >= 4, "four refusals on the Host");
    assertOwnPageStillWorks(chromium);
  }

  private void assertOwnPageStillWorks(Chromium chromium) throws Exception {
    String dom = chromium.dumpDom("own-page", "http://127.0.0.1:" + target.port() + "/");

    assertTrue(dom.matches("(?s).*<div id=\"timeline\" class=\"timeline\" data-state=\"ready\"[^>]*>.*"), dom);
    assertTrue(dom.contains("heartbeat_2026-03-10_11-55-00.md"), "the latest report in full:\n" + dom);
  }

  private static String hostilePage(String attempts) {
    return "<!doctype html><html><head><title>cute cats</title></head><body><pre id=\"log\"></pre>"
        + "<form id=\"form\" method=\"POST\" enctype=\"text/plain\" target=\"sink\"><input name=\"reparse\" value=\"true\">"
        + "</form><iframe name=\"sink\" id=\"sink\"></iframe><script>" + SCRIPT
        + "(async () => {\n" + attempts + "document.body.dataset.done = 'yes';\n})();</script></body></html>";
  }

  /** Another program's web server on loopback, serving {@code html} at every path. */
  private static HttpServer serve(String html) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    byte[] body = html.getBytes(StandardCharsets.UTF_8);
    server.createContext("/", ex -> {
      try (ex; OutputStream out = ex.getResponseBody()) {
        ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        ex.sendResponseHeaders(200, body.length);
        out.write(body);
      }
    });
    server.start();
    return server;
  }

  private double refusedTotal() {
    double sum = 0;
    for (String reason : List.of("host", "cross_site", "method", "client_header")) {
      sum += BrowserRequestAttackTest.refused(target.port(), reason);
    }
    return sum;
  }
}
