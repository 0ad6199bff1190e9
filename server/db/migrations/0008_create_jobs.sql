-- The durable job queue (server/sync/queue.ts). A job is claimed by one atomic UPDATE … RETURNING
-- that takes a lease; a lease not renewed by its expiry returns the job to the queue.
CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  connection_id TEXT,
  payload TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  run_at INTEGER NOT NULL,
  lease_owner TEXT,
  lease_expires_at INTEGER,
  -- A second enqueue with the same key while one is queued is the same job (dedupe).
  dedupe_key TEXT,
  -- Jobs with the same lock key never run at the same time (one record, one push at a time).
  lock_key TEXT,
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  finished_at INTEGER
);
CREATE INDEX jobs_ready ON jobs (state, run_at);
CREATE INDEX jobs_running_lock ON jobs (lock_key) WHERE state = 'running';
CREATE UNIQUE INDEX jobs_queued_dedupe ON jobs (dedupe_key) WHERE state = 'queued' AND dedupe_key IS NOT NULL;
CREATE INDEX jobs_tenant ON jobs (tenant_id, created_at);
