-- A bulk sync ("Sync invoices", "Sync customers"): who started it, when, and whether it was
-- cancelled. Its jobs carry its id; its progress is counted from them and their records.
CREATE TABLE sync_runs (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('invoices', 'customers')),
  started_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  finished_at INTEGER,
  cancelled_at INTEGER
);
CREATE INDEX sync_runs_tenant ON sync_runs (tenant_id, created_at);
ALTER TABLE jobs ADD COLUMN run_id TEXT REFERENCES sync_runs (id) ON DELETE SET NULL;
CREATE INDEX jobs_run ON jobs (run_id, state) WHERE run_id IS NOT NULL;
