package com.luka02.heartbeat.store;

import java.util.List;

/** Rows of a read-only query, with values already in JSON-friendly Java types. */
public record QueryResult(List<String> columns, List<List<Object>> rows, boolean truncated) {}
