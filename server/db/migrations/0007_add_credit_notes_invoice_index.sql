-- What an invoice has been credited is summed from its credit notes on every read and every write
-- that moves it (server/records/balance.ts); without this index each sum scans every credit note.
CREATE INDEX credit_notes_invoice ON credit_notes (invoice_id);
