-- Issue 10: the sync history a bookkeeper reads. A run per sync job that settled for good (a bulk
-- run is one run, its jobs adding to it), written in the transaction that settles the job; the
-- records that failed in it, copied in their words. No foreign key to connections: the history
-- outlives a disconnect and a switch of provider.
CREATE TABLE sync_history (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  connection_id TEXT NOT NULL,
  provider TEXT NOT NULL,
  organisation_name TEXT NOT NULL,
  record_kind TEXT NOT NULL CHECK (record_kind IN ('invoice', 'customer', 'credit_note', 'payment')),
  trigger TEXT NOT NULL CHECK (trigger IN ('user', 'event', 'bulk', 'retry', 'system')),
  event TEXT,
  started_by TEXT,
  retry_of TEXT,
  run_id TEXT,
  started_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL,
  total INTEGER NOT NULL,
  synced INTEGER NOT NULL,
  failed INTEGER NOT NULL
);
CREATE INDEX sync_history_tenant ON sync_history (tenant_id, finished_at, id);
CREATE INDEX sync_history_finished ON sync_history (finished_at);
CREATE TABLE sync_history_items (
  history_id TEXT NOT NULL REFERENCES sync_history (id) ON DELETE CASCADE,
  record_kind TEXT NOT NULL,
  record_id TEXT NOT NULL,
  label TEXT NOT NULL,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  provider_message TEXT,
  correlation_id TEXT,
  at INTEGER NOT NULL,
  PRIMARY KEY (history_id, record_kind, record_id)
);
-- How many days of history a tenant keeps.
ALTER TABLE tenant_settings ADD COLUMN history_days INTEGER NOT NULL DEFAULT 90;
