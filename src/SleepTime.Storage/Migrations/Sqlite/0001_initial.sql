CREATE TABLE IF NOT EXISTS tenants (
  id TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  daily_token_cap INTEGER NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT NOT NULL PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  key_hash TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  is_admin INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER NULL
);

CREATE TABLE IF NOT EXISTS contexts (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  kind TEXT NOT NULL,
  version INTEGER NOT NULL,
  base_version INTEGER NOT NULL,
  length INTEGER NOT NULL,
  turns INTEGER NOT NULL,
  processed_version INTEGER NOT NULL DEFAULT 0,
  schedule TEXT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE IF NOT EXISTS context_entries (
  tenant_id TEXT NOT NULL,
  context_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  role TEXT NULL,
  text TEXT NOT NULL,
  added_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, context_id, version, idx)
);

CREATE TABLE IF NOT EXISTS learned_contexts (
  tenant_id TEXT NOT NULL,
  context_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  blocks TEXT NOT NULL,
  provenance TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, context_id, version)
);

CREATE TABLE IF NOT EXISTS runs (
  id TEXT NOT NULL PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  context_id TEXT NOT NULL,
  status TEXT NOT NULL,
  trigger_kind TEXT NOT NULL,
  reason TEXT NULL,
  error TEXT NULL,
  attempt INTEGER NOT NULL DEFAULT 0,
  coalesced INTEGER NOT NULL DEFAULT 0,
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  context_version INTEGER NULL,
  learned_version INTEGER NULL,
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  reasoning_tokens INTEGER NOT NULL DEFAULT 0,
  cost REAL NOT NULL DEFAULT 0,
  node TEXT NULL,
  queued_at INTEGER NOT NULL,
  not_before INTEGER NOT NULL,
  started_at INTEGER NULL,
  finished_at INTEGER NULL
);
CREATE INDEX IF NOT EXISTS ix_runs_context ON runs (tenant_id, context_id, queued_at);
CREATE INDEX IF NOT EXISTS ix_runs_status ON runs (status);
-- At most one queued run per context: every later trigger coalesces into it.
CREATE UNIQUE INDEX IF NOT EXISTS ux_runs_one_queued ON runs (tenant_id, context_id) WHERE status = 'queued';

CREATE TABLE IF NOT EXISTS queries (
  id TEXT NOT NULL PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  context_id TEXT NOT NULL,
  question TEXT NULL,
  answer TEXT NOT NULL,
  final_answer TEXT NULL,
  arm TEXT NOT NULL,
  verbosity INTEGER NOT NULL,
  context_version INTEGER NOT NULL,
  learned_version INTEGER NULL,
  model TEXT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  latency_ms REAL NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_queries_context ON queries (tenant_id, context_id, created_at);

CREATE TABLE IF NOT EXISTS usage_ledger (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id TEXT NOT NULL,
  context_id TEXT NOT NULL,
  phase TEXT NOT NULL,
  arm TEXT NULL,
  run_id TEXT NULL,
  query_id TEXT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  day TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_usage_tenant_day ON usage_ledger (tenant_id, day);
CREATE INDEX IF NOT EXISTS ix_usage_context ON usage_ledger (tenant_id, context_id, day);
