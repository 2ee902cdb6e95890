-- Agents with sleep-time memory agents (SleepTime.Agents): every row belongs to a tenant.

CREATE TABLE IF NOT EXISTS agent_blocks (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  label TEXT NOT NULL,
  description TEXT NULL,
  value TEXT NOT NULL,
  char_limit BIGINT NOT NULL,
  read_only BIGINT NOT NULL,
  version BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE IF NOT EXISTS agents (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  instructions TEXT NOT NULL,
  message_sequence BIGINT NOT NULL DEFAULT 0,
  document_sequence BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE IF NOT EXISTS agent_block_links (
  tenant_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  block_id TEXT NOT NULL,
  position BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, agent_id, block_id)
);

CREATE INDEX IF NOT EXISTS ix_agent_block_links_block ON agent_block_links (tenant_id, block_id);

CREATE TABLE IF NOT EXISTS sleeptime_agents (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  primary_agent_id TEXT NOT NULL,
  name TEXT NOT NULL,
  every_turns BIGINT NULL,
  idle_after_ms BIGINT NULL,
  transcript_tokens BIGINT NULL,
  daily_token_budget BIGINT NULL,
  require_review BIGINT NOT NULL,
  cost TEXT NULL,
  model TEXT NULL,
  watermark_messages BIGINT NOT NULL DEFAULT 0,
  watermark_documents BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE INDEX IF NOT EXISTS ix_sleeptime_agents_primary ON sleeptime_agents (tenant_id, primary_agent_id);

CREATE TABLE IF NOT EXISTS agent_messages (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  sequence BIGINT NOT NULL,
  role TEXT NOT NULL,
  text TEXT NOT NULL,
  tokens BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, agent_id, sequence)
);

CREATE TABLE IF NOT EXISTS agent_documents (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  sequence BIGINT NOT NULL,
  title TEXT NOT NULL,
  text TEXT NOT NULL,
  added_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, agent_id, sequence)
);

CREATE TABLE IF NOT EXISTS sleeptime_runs (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  sleeptime_agent_id TEXT NOT NULL,
  primary_agent_id TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  started_at BIGINT NULL,
  total_tokens BIGINT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE INDEX IF NOT EXISTS ix_sleeptime_runs_agent ON sleeptime_runs (tenant_id, sleeptime_agent_id, created_at);
CREATE INDEX IF NOT EXISTS ix_sleeptime_runs_status ON sleeptime_runs (status);

CREATE TABLE IF NOT EXISTS change_sets (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  primary_agent_id TEXT NOT NULL,
  sleeptime_agent_id TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  row_version BIGINT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE INDEX IF NOT EXISTS ix_change_sets_agent ON change_sets (tenant_id, primary_agent_id, created_at);

CREATE TABLE IF NOT EXISTS archival_passages (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  text TEXT NOT NULL,
  embedding TEXT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE INDEX IF NOT EXISTS ix_archival_passages_agent ON archival_passages (tenant_id, agent_id);
