-- The outbox body is text, not jsonb: nothing queries inside it, the relay reads it as text, and jsonb parses
-- and rebuilds every body on insert. For a 5,000-device registration event (about 2.6 MB) that was
-- 74 ms of a batch against 22 ms as text (psql on the test server). lz4 compresses such a body about as small as
-- pglz does, at a fraction of its cost.
ALTER TABLE outbox_messages ALTER COLUMN body TYPE text, ALTER COLUMN body SET COMPRESSION lz4;
