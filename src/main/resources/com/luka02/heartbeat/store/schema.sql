-- The staging database: the one place its schema is written down.
-- Applied at every open; each statement is idempotent. Statements are separated by ';' at line end.
-- The code takes the column list of heartbeats from its CREATE TABLE below (store/Columns.java): keep
-- one column per line, name then type, and the closing ');' on a line of its own.

-- One row per heartbeat report, keyed by the report's own timestamp (a report is one monitor run).
-- The first ten columns are those of the old exporter's Parquet files, in their order.
CREATE TABLE IF NOT EXISTS heartbeats (
  filename              VARCHAR NOT NULL,     -- base name of the file the row came from
  report_type           VARCHAR NOT NULL,     -- always 'heartbeat'
  "timestamp"           TIMESTAMPTZ NOT NULL, -- the **Timestamp:** instant; the row's identity
  status                VARCHAR NOT NULL,     -- ok | warn | error  (HEALTHY | WARNINGS | CRITICAL)
  duration_ms           INTEGER,              -- **Duration:**, NULL when absent
  redis_status          VARCHAR,              -- first Redis bullet: ok | warn | error | skipped, NULL when absent
  database_status       VARCHAR,              -- first Database bullet, likewise
  api_status            VARCHAR,              -- first API Endpoints bullet, likewise
  launchagent_optimizer VARCHAR,              -- loaded | not_loaded | skipped, NULL when absent
  launchagent_digest    VARCHAR,              -- likewise
  checks                JSON NOT NULL,        -- every bullet: [{section, label, status, message}]
  summary               VARCHAR,              -- first line under '## Summary'
  source_path           VARCHAR NOT NULL,     -- path relative to the root, forward slashes
  content_hash          VARCHAR NOT NULL,     -- SHA-256 of the file's bytes, hex
  report_day            DATE NOT NULL,        -- local date of "timestamp" in the configured zone
  ingested_at           TIMESTAMPTZ NOT NULL, -- when the row was committed (wall clock: for people, not for the ledger)
  change_seq            BIGINT                -- nextval('change_seq') of the transaction that last wrote the row
);

-- Every heartbeat-named file seen, so that unchanged files are skipped without being read.
-- Written in the same transaction as the row (or quarantine entry) it produced. One row per path;
-- the store keeps that unique itself, since an index would cost more than the joins it saves.
CREATE TABLE IF NOT EXISTS seen_files (
  path         VARCHAR NOT NULL,     -- relative to the root
  size         BIGINT NOT NULL,
  mtime_ms     BIGINT NOT NULL,
  content_hash VARCHAR NOT NULL,
  report_ts    TIMESTAMPTZ,          -- the row it became; NULL while quarantined
  seen_at      TIMESTAMPTZ NOT NULL
);

-- Files named like heartbeats that could not become rows. Retried when the file changes
-- or on `catchup --reparse`; removed once the file stages.
CREATE TABLE IF NOT EXISTS quarantine (
  path         VARCHAR PRIMARY KEY,  -- relative to the root
  reason       VARCHAR NOT NULL,     -- 'line N: expected ..., found ...'
  line         INTEGER,              -- 1-based, NULL when it concerns the whole file
  excerpt      VARCHAR,              -- at most the first 2 KiB of text
  content_hash VARCHAR,
  size         BIGINT,
  seen_at      TIMESTAMPTZ NOT NULL
);

-- The ledger of Parquet exports: one row per exported day, replaced on re-export.
CREATE TABLE IF NOT EXISTS exports (
  day            DATE PRIMARY KEY,
  row_count      BIGINT NOT NULL,
  file           VARCHAR NOT NULL,      -- relative to the root
  bytes          BIGINT NOT NULL,
  duration_ms    BIGINT NOT NULL,
  exported_at    TIMESTAMPTZ NOT NULL,
  sha256         VARCHAR NOT NULL,      -- of the Parquet file
  staged_through TIMESTAMPTZ NOT NULL,  -- max(ingested_at) of the day's rows when exported (informative)
  pruned         BOOLEAN NOT NULL DEFAULT false,  -- staged rows were pruned; the file is the record
  exported_through BIGINT               -- max(change_seq) of the day's rows when exported: a day whose rows
                                        -- carry a higher change_seq changed since, whatever the wall clock did
);

-- Numbers every staging transaction, so that the ledger notices a change by something monotonic;
-- DuckDB never hands out a value twice, even when the transaction that took it rolled back.
CREATE SEQUENCE IF NOT EXISTS change_seq START 2;

-- Stores made before change_seq: the new columns are added, rows already exported get 0, others 1,
-- and every recorded export counts as exported through 0, so that what was due stays due.
ALTER TABLE heartbeats ADD COLUMN IF NOT EXISTS change_seq BIGINT;
ALTER TABLE exports ADD COLUMN IF NOT EXISTS exported_through BIGINT;
UPDATE heartbeats SET change_seq = 0 WHERE change_seq IS NULL AND EXISTS (
  SELECT 1 FROM exports e WHERE e.day = heartbeats.report_day AND heartbeats.ingested_at <= e.staged_through);
UPDATE heartbeats SET change_seq = 1 WHERE change_seq IS NULL;
UPDATE exports SET exported_through = 0 WHERE exported_through IS NULL;

-- Small named facts that must survive restarts: last rollover attempt, last failure.
CREATE TABLE IF NOT EXISTS agent_state (
  key   VARCHAR PRIMARY KEY,
  value VARCHAR,
  updated_at TIMESTAMPTZ NOT NULL
);
