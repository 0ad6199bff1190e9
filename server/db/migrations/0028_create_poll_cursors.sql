-- Issue 12: the polling backstop (server/sync/polling.ts). Where each pass of each connection
-- resumes: the light pass from the provider's own latest change time it saw, the daily
-- reconciliation from the last invoice it reached; and when each last ran.
CREATE TABLE poll_cursors (
  connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  pass TEXT NOT NULL CHECK (pass IN ('light', 'daily')),
  cursor TEXT,
  started_at INTEGER,
  finished_at INTEGER,
  PRIMARY KEY (connection_id, pass)
);
