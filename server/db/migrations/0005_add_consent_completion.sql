-- A consent connects nothing until the session that started it completes it (security finding 3).
-- The callback keeps what the code exchange gave, sealed, beside the hash of a one-time completion
-- secret that only the starting window receives; completing spends the secret. Only then do
-- several organisations become a pending choice (pending_tokens).
ALTER TABLE oauth_attempts ADD COLUMN exchanged_tokens TEXT;
ALTER TABLE oauth_attempts ADD COLUMN completion_hash TEXT;
ALTER TABLE oauth_attempts ADD COLUMN completed_at INTEGER;
-- Starting consents is limited per session over a short window: counted with this index.
CREATE INDEX oauth_attempts_session ON oauth_attempts (session_id, created_at);
