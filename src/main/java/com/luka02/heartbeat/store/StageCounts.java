package com.luka02.heartbeat.store;

/** What one staging transaction changed. */
public record StageCounts(int inserted, int replaced, int unchanged, int quarantined) {
  public static final StageCounts NONE = new StageCounts(0, 0, 0, 0);

  public StageCounts plus(StageCounts o) {
    return new StageCounts(inserted + o.inserted, replaced + o.replaced, unchanged + o.unchanged,
        quarantined + o.quarantined);
  }
}
