-- Issue 10: payments reach the provider.
-- push_version is the invoice's version when what is posted of it last changed. A payment or a
-- credit note moves the invoice's version (its answer changed: amount paid, status) but not this,
-- so an invoice paid in the app is not posted again, which a provider would refuse once paid there.
ALTER TABLE invoices ADD COLUMN push_version INTEGER NOT NULL DEFAULT 1;
UPDATE invoices SET push_version = version;
-- A payment the host removed stays, as the record of what the provider must remove, and did.
ALTER TABLE payments ADD COLUMN removed_at INTEGER;
-- Bulk runs of payments and credit notes: sync_runs' CHECK names the kinds, and SQLite changes a CHECK only by
-- rebuilding the table. Dropping it sets jobs.run_id to NULL (ON DELETE SET NULL), so the jobs'
-- runs are kept aside and put back.
CREATE TABLE sync_runs_next (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('invoices', 'customers', 'payments', 'credit_notes')),
  started_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  finished_at INTEGER,
  cancelled_at INTEGER
);
INSERT INTO sync_runs_next (id, tenant_id, connection_id, kind, started_by, created_at, finished_at, cancelled_at)
  SELECT id, tenant_id, connection_id, kind, started_by, created_at, finished_at, cancelled_at FROM sync_runs;
CREATE TABLE jobs_runs_kept AS SELECT id, run_id FROM jobs WHERE run_id IS NOT NULL;
DROP TABLE sync_runs;
ALTER TABLE sync_runs_next RENAME TO sync_runs;
CREATE INDEX sync_runs_tenant ON sync_runs (tenant_id, created_at);
UPDATE jobs SET run_id = (SELECT k.run_id FROM jobs_runs_kept k WHERE k.id = jobs.id)
  WHERE id IN (SELECT id FROM jobs_runs_kept);
DROP TABLE jobs_runs_kept;
