-- Issue 12: what the providers tell us (server/webhooks/, server/sync/provider-events.ts).

-- Every webhook delivery whose signature held, as it came: a malformed one is kept for
-- inspection (nothing lost), an accepted one names how many events it carried.
CREATE TABLE webhook_deliveries (
  id TEXT PRIMARY KEY,
  provider TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  content_type TEXT,
  body TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'malformed')),
  note TEXT,
  events INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX webhook_deliveries_received ON webhook_deliveries (received_at);

-- One row per provider event however often it is delivered (the provider's event id, or where it
-- has none, a digest of what the event says), processed once by the durable queue for every
-- connection to its organisation.
CREATE TABLE provider_events (
  provider TEXT NOT NULL,
  event_id TEXT NOT NULL,
  organisation_id TEXT NOT NULL,
  -- invoice, payment, credit_note, contact, or other (acknowledged, nothing to do).
  entity TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  operation TEXT NOT NULL,
  occurred_at INTEGER,
  received_at INTEGER NOT NULL,
  delivery_id TEXT REFERENCES webhook_deliveries (id) ON DELETE SET NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'processed', 'ignored')),
  note TEXT,
  processed_at INTEGER,
  PRIMARY KEY (provider, event_id)
);
CREATE INDEX provider_events_queued ON provider_events (provider, organisation_id, state, received_at);

-- A payment entered in the accounting software and brought back (`provider`), beside those the
-- host recorded through the API (`host`).
ALTER TABLE payments ADD COLUMN origin TEXT NOT NULL DEFAULT 'host' CHECK (origin IN ('host', 'provider'));
