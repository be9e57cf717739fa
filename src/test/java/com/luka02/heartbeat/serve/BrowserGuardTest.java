package com.luka02.heartbeat.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.sun.net.httpserver.Headers;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * The guard's decisions on cases a real agent cannot be put in by a test: port 80, where browsers
 * leave the port out of {@code Host} and {@code Origin}. Everything else is in the attack suites
 * ({@code com.luka02.heartbeat.security}), over real HTTP.
 */
class BrowserGuardTest {
  private static final URI LATEST = URI.create("/api/latest");

  private static Headers headers(String... nameValue) {
    Headers h = new Headers();
    for (int i = 0; i < nameValue.length; i += 2) {
      h.add(nameValue[i], nameValue[i + 1]);
    }
    return h;
  }

  @Test
  void onPort80TheHostMayLeaveThePortOut() {
    assertNull(BrowserGuard.check("GET", LATEST, headers("Host", "localhost"), 80, false));
    assertNull(BrowserGuard.check("GET", LATEST, headers("Host", "127.0.0.1:80"), 80, false));
    assertNull(BrowserGuard.check("GET", LATEST, headers("Host", "127.0.0.1", "Origin", "http://127.0.0.1"), 80, false));
    assertEquals("host", BrowserGuard.check("GET", LATEST, headers("Host", "evil.example"), 80, false).reason());
  }

  @Test
  void onAnyOtherPortTheHostMustNameIt() {
    assertEquals(421, BrowserGuard.check("GET", LATEST, headers("Host", "localhost"), 8787, false).status());
    assertNull(BrowserGuard.check("GET", LATEST, headers("Host", "localhost:8787"), 8787, false));
  }
}
