package com.luka02.heartbeat.ingest;

import com.luka02.heartbeat.config.Redaction;
import com.luka02.heartbeat.io.RecentResults;
import com.luka02.heartbeat.report.Check;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * What a redaction makes of a report's checks: the same list when it masks nothing. The parser hands out
 * one list for a body it read before, so each thread remembers the lists it redacted lately, by identity,
 * and answers a list met again as the first time: at most {@link #CHARS} characters of messages per
 * thread, for one redaction at a time (a reloaded configuration starts afresh).
 */
final class RedactedChecks {
  static final int CHARS = 256 * 1024;
  private static final ThreadLocal<RedactedChecks> RECENT = ThreadLocal.withInitial(RedactedChecks::new);

  private Redaction by;
  private RecentResults<List<Check>, List<Check>> lists;

  private RedactedChecks() {}

  /** {@code checks} as {@code r} redacts them; {@code checks} itself when nothing is masked. */
  static List<Check> of(Redaction r, List<Check> checks) {
    RedactedChecks recent = RECENT.get();
    if (recent.by != r) {
      recent.by = r;
      recent.lists = new RecentResults<>(new IdentityHashMap<>(), CHARS);
    }
    List<Check> out = recent.lists.get(checks);
    if (out == null) {
      out = redact(r, checks);
      long chars = 0;
      for (Check c : checks) {
        chars += c.message() == null ? 0 : c.message().length();
      }
      recent.lists.put(checks, out, chars);
    }
    return out;
  }

  private static List<Check> redact(Redaction r, List<Check> checks) {
    List<Check> out = new ArrayList<>(checks.size());
    boolean masked = false;
    for (Check c : checks) {
      String message = r.apply(c.message());
      masked |= message != c.message(); // the same string when nothing was masked
      out.add(message == c.message() ? c : new Check(c.section(), c.label(), c.status(), message));
    }
    return masked ? List.copyOf(out) : checks;
  }
}
