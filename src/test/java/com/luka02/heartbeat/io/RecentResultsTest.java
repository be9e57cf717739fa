package com.luka02.heartbeat.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.IdentityHashMap;
import org.junit.jupiter.api.Test;

/** A thread's recent results stay within their budget: heavy ones are not kept, and a full memory starts again. */
class RecentResultsTest {
  @Test
  void keepsResultsUntilTheBudgetIsSpentThenStartsAgain() {
    RecentResults<String, Integer> recent = new RecentResults<>(new HashMap<>(), 160);
    for (int i = 0; i < 16; i++) {
      recent.put("input " + i, i, 10);
    }
    for (int i = 0; i < 16; i++) {
      assertEquals(i, recent.get("input " + i));
    }

    recent.put("one more", 16, 10);

    assertEquals(16, recent.get("one more"));
    assertNull(recent.get("input 0"), "a full memory was not emptied");
  }

  @Test
  void aResultHeavierThanASixteenthOfTheBudgetIsNotKept() {
    RecentResults<String, Integer> recent = new RecentResults<>(new HashMap<>(), 160);
    recent.put("light", 1, 10);
    recent.put("heavy", 2, 11);

    assertNull(recent.get("heavy"));
    assertEquals(1, recent.get("light"), "a result too heavy to keep made the memory start again");
  }

  @Test
  void anIdentityMapKeysByTheInputItself() {
    RecentResults<String, Integer> recent = new RecentResults<>(new IdentityHashMap<>(), 160);
    String input = new String("same text");
    recent.put(input, 1, 1);

    assertEquals(1, recent.get(input));
    assertNull(recent.get(new String("same text")));
  }
}
