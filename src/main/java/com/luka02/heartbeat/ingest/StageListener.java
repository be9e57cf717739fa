package com.luka02.heartbeat.ingest;

import com.luka02.heartbeat.store.QuarantinedFile;
import com.luka02.heartbeat.store.StageCounts;
import com.luka02.heartbeat.store.StagedFile;
import java.util.List;

/** Told after each staging transaction commits; called on the writer thread, so it must be quick. */
public interface StageListener {
  void committed(List<StagedFile> staged, List<QuarantinedFile> quarantined, StageCounts counts);

  StageListener NONE = (staged, quarantined, counts) -> { };
}
