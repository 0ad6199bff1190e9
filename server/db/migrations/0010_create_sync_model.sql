-- What the sync engine keeps (server/sync/). All of it is per connection, so it survives a
-- disconnect and is found again when the same organisation is reconnected; a switch of provider
-- starts fresh links beside the old ones.

-- A local record and the provider record it became: exactly one each way, per connection.
CREATE TABLE sync_links (
  connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  record_kind TEXT NOT NULL CHECK (record_kind IN ('customer', 'invoice', 'credit_note', 'payment')),
  record_id TEXT NOT NULL,
  provider_id TEXT NOT NULL,
  -- The provider's optimistic-lock token (QuickBooks SyncToken), when it has one.
  provider_version TEXT,
  provider_url TEXT,
  -- Our line id -> the provider's line id, so an update keeps the provider's lines.
  line_ids TEXT,
  -- The record's version this link last carried: below the record's own, the record is outdated.
  synced_version INTEGER NOT NULL,
  synced_at INTEGER NOT NULL,
  PRIMARY KEY (connection_id, record_kind, record_id),
  UNIQUE (connection_id, record_kind, provider_id)
);

-- The last failed attempt at a record, until a later push succeeds.
CREATE TABLE sync_errors (
  connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  record_kind TEXT NOT NULL,
  record_id TEXT NOT NULL,
  record_version INTEGER NOT NULL,
  error TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (connection_id, record_kind, record_id)
);

-- Mappings an admin chose: line categories to revenue accounts (and QuickBooks items), the default
-- account, local tax codes to provider tax rates, the account that receives payments.
CREATE TABLE sync_mappings (
  connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('category_account', 'category_item', 'default_account', 'tax_rate', 'payment_account')),
  key TEXT NOT NULL,
  provider_ref TEXT NOT NULL,
  label TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (connection_id, kind, key)
);

-- The organisation's chart as last read, for the mapping menus and the check before each push.
CREATE TABLE sync_chart_cache (
  connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  part TEXT NOT NULL CHECK (part IN ('accounts', 'tax_rates', 'currencies', 'items')),
  body TEXT NOT NULL,
  fetched_at INTEGER NOT NULL,
  PRIMARY KEY (connection_id, part)
);

-- Per-tenant sync switches; a tenant with no row has the defaults.
CREATE TABLE tenant_settings (
  tenant_id TEXT PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  auto_sync_on_send INTEGER NOT NULL DEFAULT 1,
  updated_at INTEGER NOT NULL
);

-- The records a job carries (a push may carry a batch), so "pending" is one indexed read per record.
CREATE TABLE job_records (
  job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  record_kind TEXT NOT NULL,
  record_id TEXT NOT NULL,
  PRIMARY KEY (job_id, record_kind, record_id)
);
CREATE INDEX job_records_record ON job_records (record_kind, record_id);
