-- Replays of POST requests by Idempotency-Key, per caller.
CREATE TABLE idempotency_keys (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('in_progress', 'done')),
  response_status INTEGER,
  response_body TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at);

CREATE TABLE customers (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  external_id TEXT,
  name TEXT NOT NULL,
  email TEXT,
  phone TEXT,
  tax_number TEXT,
  currency TEXT,
  address TEXT,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (tenant_id, external_id)
);
CREATE INDEX customers_tenant ON customers (tenant_id, id);

-- Lines are part of the document (never read on their own), so they live in it as JSON.
CREATE TABLE invoices (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  external_id TEXT,
  number TEXT NOT NULL,
  customer_id TEXT NOT NULL REFERENCES customers (id),
  currency TEXT NOT NULL,
  issue_date TEXT NOT NULL,
  due_date TEXT NOT NULL,
  reference TEXT,
  notes TEXT,
  status TEXT NOT NULL CHECK (status IN ('draft', 'sent', 'paid', 'void')),
  lines TEXT NOT NULL,
  subtotal_minor INTEGER NOT NULL,
  tax_minor INTEGER NOT NULL,
  total_minor INTEGER NOT NULL,
  amount_paid_minor INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL,
  sent_at INTEGER,
  paid_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (tenant_id, number),
  UNIQUE (tenant_id, external_id)
);
CREATE INDEX invoices_tenant ON invoices (tenant_id, id);
CREATE INDEX invoices_customer ON invoices (customer_id);

CREATE TABLE credit_notes (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  external_id TEXT,
  number TEXT NOT NULL,
  customer_id TEXT NOT NULL REFERENCES customers (id),
  invoice_id TEXT REFERENCES invoices (id),
  currency TEXT NOT NULL,
  issue_date TEXT NOT NULL,
  reference TEXT,
  notes TEXT,
  status TEXT NOT NULL CHECK (status IN ('draft', 'sent', 'void')),
  lines TEXT NOT NULL,
  subtotal_minor INTEGER NOT NULL,
  tax_minor INTEGER NOT NULL,
  total_minor INTEGER NOT NULL,
  version INTEGER NOT NULL,
  sent_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (tenant_id, number),
  UNIQUE (tenant_id, external_id)
);
CREATE INDEX credit_notes_tenant ON credit_notes (tenant_id, id);

CREATE TABLE payments (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  external_id TEXT,
  invoice_id TEXT NOT NULL REFERENCES invoices (id),
  currency TEXT NOT NULL,
  amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
  date TEXT NOT NULL,
  reference TEXT,
  method TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (tenant_id, external_id)
);
CREATE INDEX payments_tenant ON payments (tenant_id, id);
CREATE INDEX payments_invoice ON payments (invoice_id);
