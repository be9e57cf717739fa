package com.luka02.heartbeat.ingest;

import com.luka02.heartbeat.store.QuarantinedFile;
import com.luka02.heartbeat.store.StagedFile;

/** What looking at one heartbeat-named path found. */
public sealed interface Outcome {
  /** Read, and found as already recorded (staged or quarantined with the same bytes): nothing to write. */
  record Unchanged() implements Outcome {}

  record Parsed(StagedFile file) implements Outcome {}

  record Bad(QuarantinedFile file) implements Outcome {}

  /** Possibly still being written: look again later. */
  record NotReady(String why) implements Outcome {}

  /** Deleted before it could be read. */
  record Gone() implements Outcome {}

  /** Not a regular file (directory, link, FIFO...): never read. */
  record Ignored(String why) implements Outcome {}

  Unchanged UNCHANGED = new Unchanged();
  Gone GONE = new Gone();
}
