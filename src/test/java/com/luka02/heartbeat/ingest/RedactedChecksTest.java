package com.luka02.heartbeat.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.luka02.heartbeat.config.Redaction;
import com.luka02.heartbeat.report.Check;
import com.luka02.heartbeat.report.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Test;

class RedactedChecksTest {
  @Test
  void aListMetAgainIsRedactedAsTheFirstTimeWhateverTheRedaction() throws Exception {
    // Lists repeat (the parser hands out one per body), hold secrets or not, and meet a redaction with
    // extra patterns after one without: a thread that redacted nothing before is the reference.
    Redaction builtIn = Redaction.of(true, List.of());
    Redaction extra = Redaction.of(true, List.of("apikey_(\\w+)"));
    String[] messages = {"Redis responding", "redis-cli -a hunter2 failed", "key apikey_abc123 rejected",
        "password=swordfish in the log", "Endpoint responding"};
    List<List<Check>> lists = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      List<Check> checks = new ArrayList<>();
      for (int k = 0; k <= i % 4; k++) {
        checks.add(new Check("Section " + k, "Label", Status.OK, messages[(i + k) % messages.length]));
      }
      lists.add(List.copyOf(checks));
    }
    Random random = new Random(20261128L);
    for (int n = 0; n < 2_000; n++) {
      Redaction r = n < 1_000 ? builtIn : random.nextBoolean() ? builtIn : extra;
      List<Check> checks = lists.get(random.nextInt(lists.size()));
      FutureTask<List<Check>> reference = new FutureTask<>(() -> RedactedChecks.of(r, checks));
      new Thread(reference).start();

      List<Check> redacted = RedactedChecks.of(r, checks);
      assertEquals(reference.get(), redacted, checks.toString());
      if (redacted.equals(checks)) {
        assertSame(checks, redacted, "a list with nothing masked comes back as itself");
      }
    }
  }
}
