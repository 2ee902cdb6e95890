-- One run pipeline: a run belongs to a sleeper (a context's default sleeper, or a sleep-time agent) and writes one
-- memory (the context's learned context, or the agent's blocks). Agents' runs move into the runs table.

ALTER TABLE runs RENAME COLUMN context_id TO sleeper_id;
ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'context';
ALTER TABLE runs ADD COLUMN memory_id TEXT NULL;
ALTER TABLE runs ADD COLUMN change_set_id TEXT NULL;
ALTER TABLE runs ADD COLUMN model TEXT NULL;
ALTER TABLE runs ADD COLUMN tool_errors INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN read_from TEXT NULL;
ALTER TABLE runs ADD COLUMN read_to TEXT NULL;
UPDATE runs SET memory_id = sleeper_id;

DROP INDEX IF EXISTS ux_runs_one_queued;
DROP INDEX IF EXISTS ix_runs_context;
-- At most one queued run per sleeper: every later trigger coalesces into it.
CREATE UNIQUE INDEX IF NOT EXISTS ux_runs_one_queued ON runs (tenant_id, kind, sleeper_id) WHERE status = 'queued';
CREATE INDEX IF NOT EXISTS ix_runs_sleeper ON runs (tenant_id, kind, sleeper_id, queued_at);
CREATE INDEX IF NOT EXISTS ix_runs_memory ON runs (tenant_id, memory_id, queued_at);

-- The agents' own run records end here; their history is kept as final runs of the one table.
INSERT INTO runs (id, tenant_id, sleeper_id, kind, memory_id, status, trigger_kind, reason, attempt, queued_at, not_before, started_at, finished_at)
SELECT id, tenant_id, sleeptime_agent_id, 'agent', primary_agent_id,
       CASE WHEN lower(status) IN ('queued', 'running') THEN 'failed' ELSE lower(status) END,
       'migrated',
       CASE WHEN lower(status) IN ('queued', 'running') THEN 'Interrupted by the upgrade to one run pipeline.' ELSE NULL END,
       1, created_at, created_at, started_at, COALESCE(started_at, created_at)
FROM sleeptime_runs;
DROP TABLE sleeptime_runs;

-- One ledger: rows name the memory they were spent on and, for sleep work, the sleeper.
ALTER TABLE usage_ledger RENAME COLUMN context_id TO memory_id;
ALTER TABLE usage_ledger ADD COLUMN sleeper_id TEXT NULL;
UPDATE usage_ledger SET sleeper_id = memory_id WHERE phase = 'Sleep';
CREATE INDEX IF NOT EXISTS ix_usage_sleeper ON usage_ledger (tenant_id, sleeper_id, day);

-- A sleep-time agent's schedule is the same policy a context has; the older trigger columns become one.
ALTER TABLE sleeptime_agents ADD COLUMN schedule TEXT NULL;
UPDATE sleeptime_agents SET schedule = json_object('on_change', json('false'), 'every_turns', COALESCE(every_turns, 0),
  'idle_seconds', COALESCE(idle_after_ms, 0) / 1000.0, 'transcript_tokens', COALESCE(transcript_tokens, 0), 'daily_token_cap', daily_token_budget);
