-- Provider calls per organisation, shared by every process (server/sync/rate-limit.ts): one row
-- per call for the sliding windows, one per call in flight (expiring, so a killed process frees
-- its permits), and a pause while the provider has said 429.
CREATE TABLE rate_calls (
  bucket TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX rate_calls_bucket_at ON rate_calls (bucket, at);

CREATE TABLE rate_permits (
  id TEXT PRIMARY KEY,
  bucket TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX rate_permits_bucket ON rate_permits (bucket, expires_at);

CREATE TABLE rate_pauses (
  bucket TEXT PRIMARY KEY,
  until INTEGER NOT NULL,
  reason TEXT
);
