-- A provider-side notice that access may be gone (QuickBooks' Disconnect URL) arrives unauthenticated
-- and may repeat thousands of times, so it never calls the provider itself: it records that a check
-- is wanted, and the one check allowed per connection per interval (claimed on last_checked_at)
-- answers it, now or when the interval allows. Security finding 4.
ALTER TABLE connections ADD COLUMN check_requested_at INTEGER;
CREATE INDEX connections_check_requested ON connections (check_requested_at) WHERE check_requested_at IS NOT NULL;
