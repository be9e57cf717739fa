package com.luka02.heartbeat.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** The catch-up measurement: the year staged by {@code catchup} cold and warm, beside the old exporter. */
final class CatchupBench {
  private final Bench bench;
  private final Results results;

  CatchupBench(Bench bench) {
    this.bench = bench;
    this.results = bench.results;
  }

  void run() throws Exception {
    List<Measure.Run> cold = coldRuns();
    long rows = bench.count(bench.yearRoot, "SELECT count(*) FROM heartbeats");
    long reports = bench.yearStats().reports();
    if (rows != reports) {
      throw new IllegalStateException("catch-up staged " + rows + " rows, expected " + reports);
    }
    List<Measure.Run> warm = new ArrayList<>();
    for (int i = 0; i < bench.repeat; i++) {
      warm.add(bench.cli("catchup-warm-" + i, bench.yearRoot, "catchup").requireSuccess());
    }
    report(cold, warm, rows);
  }

  /** Each cold catch-up interleaved with one run of the old exporter, so that both see the same machine. */
  private List<Measure.Run> coldRuns() throws Exception {
    List<Measure.Run> cold = new ArrayList<>();
    for (int i = 0; i < bench.repeat; i++) {
      Bench.deleteStore(bench.yearRoot);
      cold.add(bench.cli("catchup-cold-" + i, bench.yearRoot, "catchup").requireSuccess());
      bench.oldYearRuns.add(bench.oldExporter("old-year-" + i, bench.yearRoot, bench.work.resolve("old/year.parquet")));
    }
    return cold;
  }

  private void report(List<Measure.Run> cold, List<Measure.Run> warm, long rows) {
    List<Measure.Run> old = bench.oldYearRuns;
    long reports = bench.yearStats().reports();
    long scanned = Bench.scanned(cold.get(0));
    long coldMs = Bench.medianOf(cold, Measure.Run::wallMs);
    long warmMs = Bench.medianOf(warm, Measure.Run::wallMs);
    long oldMs = Bench.medianOf(old, Measure.Run::wallMs);
    ObjectNode s = results.section("catchup");
    s.put("reports", reports);
    s.put("files", scanned);
    s.put("rowsStaged", rows);
    s.set("cold", bench.runs(cold));
    s.set("warm", bench.runs(warm));
    s.set("oldExporter", bench.runs(old));
    s.put("coldOverOld", (double) coldMs / oldMs);
    String y = "catch-up of %,d reports".formatted(reports);
    results.row(y + ", cold: wall", Results.ms(coldMs) + " (%,.0f files/s)".formatted(scanned * 1000.0 / coldMs),
        "<= 4 s", coldMs <= 4000);
    results.row(y + ", cold: peak RSS", Results.mb(Bench.medianOf(cold, Measure.Run::peakRssKb)));
    results.row("old exporter, same corpus: wall", Results.ms(oldMs) + " (%d rows)".formatted(Bench.oldRows(old.get(0))));
    results.row("old exporter, same corpus: peak RSS", Results.mb(Bench.medianOf(old, Measure.Run::peakRssKb)));
    results.row("catch-up cold / old exporter", "%.2f".formatted((double) coldMs / oldMs), "<= 1.00", coldMs <= oldMs);
    results.row(y + ", warm: wall", Results.ms(warmMs) + " (%,.0f files/s)".formatted(scanned * 1000.0 / warmMs),
        "<= 1.5 s", warmMs <= 1500);
    results.row(y + ", warm: peak RSS", Results.mb(Bench.medianOf(warm, Measure.Run::peakRssKb)));
  }
}
