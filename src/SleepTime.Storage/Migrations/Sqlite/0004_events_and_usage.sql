-- Durable events: every event the server publishes gets its id here, so Server-Sent Events streams can send an
-- `id:` and resume after a client's Last-Event-ID, on any node. Kept bounded by the publisher's retention.
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id TEXT NOT NULL,
  stream TEXT NOT NULL,
  memory_id TEXT NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_events_tenant ON events (tenant_id, stream, id);
CREATE INDEX IF NOT EXISTS ix_events_at ON events (at);

-- The ledger keeps what the provider reported beyond input and output: cached input, reasoning, and whether any
-- part was counted locally (estimated).
ALTER TABLE usage_ledger ADD COLUMN cached_input_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE usage_ledger ADD COLUMN reasoning_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE usage_ledger ADD COLUMN estimated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN cached_input_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN estimated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE queries ADD COLUMN cached_input_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE queries ADD COLUMN reasoning_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE queries ADD COLUMN estimated INTEGER NOT NULL DEFAULT 0;
