-- The relay walks pending rows in sequence order; without this, every round would step over all
-- delivered rows still kept for the retention period.
CREATE INDEX ix_outbox_messages_sequence ON outbox_messages (sequence) WHERE published_at IS NULL;
