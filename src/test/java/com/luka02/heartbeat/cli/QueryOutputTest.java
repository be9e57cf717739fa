package com.luka02.heartbeat.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.luka02.heartbeat.store.QueryResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A result cut at queryMaxRows says so in every output format; a whole one does not. */
class QueryOutputTest {
  private static final QueryResult CUT = new QueryResult(List.of("n"), List.of(List.of(1), List.of(2)), true);
  private static final QueryResult WHOLE = new QueryResult(List.of("n"), List.of(List.of(1), List.of(2)), false);
  private static final String MARK = "result cut at 2 rows (queryMaxRows)";

  @Test
  void json_endsWithAMarkerObject() throws Exception {
    assertTrue(QueryCommand.json(CUT).contains("{\"_truncated\":true,\"_rows\":2,\"_message\":\"" + MARK), QueryCommand.json(CUT));
    assertFalse(QueryCommand.json(WHOLE).contains("_truncated"));
  }

  @Test
  void csv_endsWithAMarkerLine() {
    assertTrue(QueryCommand.csv(CUT).endsWith("\n2\n# " + MARK + ": narrow the query or raise queryMaxRows\n"), QueryCommand.csv(CUT));
    assertFalse(QueryCommand.csv(WHOLE).contains("#"));
  }

  @Test
  void table_saysSoInItsFooter() {
    assertTrue(QueryCommand.table(CUT).endsWith("(2 rows; " + MARK + ": narrow the query or raise queryMaxRows)\n"), QueryCommand.table(CUT));
    assertTrue(QueryCommand.table(WHOLE).endsWith("(2 rows)\n"));
  }
}
