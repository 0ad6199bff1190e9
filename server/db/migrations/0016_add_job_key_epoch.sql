-- The idempotency keys a job sends derive from its id and this epoch. A retry after no answer
-- (reset, timeout, a crash) sends the same keys, so a write that landed is answered from the
-- provider's replay cache; a retry after an answer (which Xero caches, errors included) sends new
-- ones, and the lookup before writing again guards what may have landed.
ALTER TABLE jobs ADD COLUMN key_epoch INTEGER NOT NULL DEFAULT 0;
