-- Issue 10, read side: pages of the organisation's customers as last read for the host's import,
-- each with its age; a refresh drops them all.
CREATE TABLE sync_contact_pages (
  connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  page INTEGER NOT NULL CHECK (page >= 1),
  body TEXT NOT NULL,
  fetched_at INTEGER NOT NULL,
  PRIMARY KEY (connection_id, page)
);
