package com.luka02.heartbeat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedactionTest {
  private final Redaction on = Redaction.of(true, List.of());

  @Test
  void redisCliPasswordIsMasked() {
    assertEquals("Command failed: redis-cli -h 127.0.0.1 -a [REDACTED] ping",
        on.apply("Command failed: redis-cli -h 127.0.0.1 -a Sup3r-s3cret! ping"));
  }

  @Test
  void passwordTokenAndAuthorizationAreMasked() {
    assertEquals("url?password=[REDACTED]&user=x", on.apply("url?password=hunter2&user=x"));
    assertEquals("token: [REDACTED] next", on.apply("token: abc.def.ghi next"));
    assertEquals("Authorization: [REDACTED]", on.apply("Authorization: Bearer eyJhbGciOi"));
  }

  @Test
  void textWithoutSecretsIsUnchanged() {
    String text = "Database not responding: Cannot find module './knowledge/knowledge.cjs'";
    assertEquals(text, on.apply(text));
  }

  @Test
  void thePlainSearchBeforeThePatternsMissesNoSecretInAnyCase() {
    // The search for trigger words must find every text a built-in pattern masks, whatever the case
    // of its letters and wherever it stands; here the patterns alone are the reference.
    String[] parts = {"PassWord=a1", "PWD: b2", "Api-Key=c3", "api_KEY: d4", "SECRET=e5", "ToKeN: f6",
        "AUTHORIZATION: Basic g7", "-a h8", "x-a i9", "passwd=j0", "\u212Aey", "\u0130", "\u00e9t\u00e9", " ", "\n",
        "ok", "-", "p", "t", "a", "s"};
    java.util.Random random = new java.util.Random(20261128L);
    for (int n = 0; n < 20_000; n++) {
      StringBuilder text = new StringBuilder();
      for (int k = random.nextInt(6); k >= 0; k--) {
        text.append(parts[random.nextInt(parts.length)]).append(random.nextBoolean() ? " " : "");
      }
      String t = text.toString();
      String expected = t;
      for (java.util.regex.Pattern p : Redaction.BUILT_IN) {
        expected = p.matcher(expected).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
            m.group().substring(0, m.start(1) - m.start()) + Redaction.MASK + m.group().substring(m.end(1) - m.start())));
      }
      assertEquals(expected, on.apply(t), t);
    }
  }

  @Test
  void aTextMetAgainIsAnsweredAsTheFirstTime() {
    // Clean texts are remembered per thread; one that may hold a secret never is.
    for (int i = 0; i < 3; i++) {
      String clean = new String("Redis responding");
      assertSame(clean, on.apply(clean), "a clean text comes back as itself, which tells the caller nothing was masked");
      assertEquals("redis-cli -a [REDACTED]", on.apply(new String("redis-cli -a hunter2")));
    }
  }

  @Test
  void disabledRedactionChangesNothing() {
    assertEquals("redis-cli -a hunter2", Redaction.of(false, List.of()).apply("redis-cli -a hunter2"));
  }

  @Test
  void extraPatternsFromTheConfigAreApplied(@TempDir Path root) throws IOException {
    Path cfg = Files.writeString(root.resolve("c.json"), "{\"redactPatterns\": [\"apikey_(\\\\w+)\"]}");

    Redaction r = ConfigLoader.load(root, cfg).redaction();

    assertEquals("key apikey_[REDACTED] end", r.apply("key apikey_abc123 end"));
  }

  @Test
  void extraPatternWithoutAGroupIsRefusedNamingTheField(@TempDir Path root) throws IOException {
    Path cfg = Files.writeString(root.resolve("c.json"), "{\"redactPatterns\": [\"secret\"]}");

    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(root, cfg));

    assertTrue(e.getMessage().contains("redactPatterns") && e.getMessage().contains("group 1"), e.getMessage());
  }
}
