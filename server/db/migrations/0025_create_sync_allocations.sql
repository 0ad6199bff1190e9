-- Issue 10: a credit note set against its invoice at the provider, once per connection (Xero's
-- allocation, QuickBooks' zero Payment, Sage's contact_allocation), with the amount it took.
CREATE TABLE sync_allocations (
  connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  credit_note_id TEXT NOT NULL,
  invoice_id TEXT NOT NULL,
  provider_id TEXT,
  amount_minor INTEGER NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (connection_id, credit_note_id)
);
