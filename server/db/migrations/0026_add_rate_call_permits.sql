-- A call in flight counts in the windows as late as its permit could still be alive: its rows
-- carry the permit, move forward with each renewal, and take their answer's time on release. A
-- process killed mid-call leaves them at the last moment it could have sent (server/sync/rate-limit.ts).
ALTER TABLE rate_calls ADD COLUMN permit TEXT;
CREATE INDEX rate_calls_permit ON rate_calls (permit) WHERE permit IS NOT NULL;
