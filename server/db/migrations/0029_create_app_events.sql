-- Issue 12: what happened, for the host's backend (signed webhooks, server/events/outbound.ts) and
-- the widget's live stream (server/events/stream.ts). Written in the transaction that made the
-- change, so an event is never lost nor told of a change that did not commit; `seq` orders them
-- (the stream's event id, and delivery order per record).
CREATE TABLE app_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  record_kind TEXT,
  record_id TEXT,
  data TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX app_events_tenant ON app_events (tenant_id, seq);
CREATE INDEX app_events_created ON app_events (created_at);
