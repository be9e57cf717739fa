package com.luka02.heartbeat.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The one gap rule: longer than twice the cadence, not equal to it. */
class GapsTest {
  private static final Duration CADENCE = Duration.ofMinutes(30);

  @Test
  void twiceTheCadence_isNotYetAGap_aSecondMoreIs() {
    assertEquals(Duration.ofHours(1), Gaps.tolerance(CADENCE));
    assertFalse(Gaps.isGap(Duration.ofHours(1), CADENCE));
    assertTrue(Gaps.isGap(Duration.ofHours(1).plusSeconds(1), CADENCE));
    assertFalse(Gaps.isGap(CADENCE, CADENCE), "one missed beat is jitter, not a gap");
  }
}
