-- Issue 10: sync as a whole and each kind of record on or off, per tenant, and who last changed them.
-- A tenant with no row, or a switch never changed, is on.
ALTER TABLE tenant_settings ADD COLUMN sync_enabled INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tenant_settings ADD COLUMN invoices_enabled INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tenant_settings ADD COLUMN credit_notes_enabled INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tenant_settings ADD COLUMN payments_enabled INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tenant_settings ADD COLUMN customers_enabled INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tenant_settings ADD COLUMN updated_by TEXT;
