-- The trace an event was written in (W3C traceparent, e.g. 00-<trace id>-<span id>-01), so the relay's publish continues the
-- request's trace instead of starting one of its own. Null for events written outside any trace (the demo seed, SQL migrations).
ALTER TABLE outbox_messages ADD COLUMN trace_parent text;
