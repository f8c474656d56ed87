-- Transactional outbox and inbox, the same in every service's database (Messaging/*.cs maps them).
CREATE TABLE outbox_messages (
    sequence bigint GENERATED ALWAYS AS IDENTITY,
    message_id uuid NOT NULL,
    message_type text NOT NULL,
    aggregate_id text NOT NULL,
    body jsonb NOT NULL,
    created_at timestamptz NOT NULL,
    attempts integer NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    last_error text NULL,
    published_at timestamptz NULL,
    CONSTRAINT pk_outbox_messages PRIMARY KEY (sequence)
);
CREATE UNIQUE INDEX ix_outbox_messages_message_id ON outbox_messages (message_id);
-- The relay's claim: the oldest pending row of each aggregate.
CREATE INDEX ix_outbox_messages_aggregate_id_sequence ON outbox_messages (aggregate_id, sequence) WHERE published_at IS NULL;
-- Clean-up of delivered rows after the retention period.
CREATE INDEX ix_outbox_messages_published_at ON outbox_messages (published_at) WHERE published_at IS NOT NULL;

CREATE TABLE inbox_messages (
    consumer text NOT NULL,
    message_id uuid NOT NULL,
    processed_at timestamptz NOT NULL,
    CONSTRAINT pk_inbox_messages PRIMARY KEY (consumer, message_id)
);
CREATE INDEX ix_inbox_messages_processed_at ON inbox_messages (processed_at);
