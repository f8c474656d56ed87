-- The probe service's own effect table (tests only).
CREATE TABLE received_events (
    message_id uuid NOT NULL,
    message_type text NOT NULL,
    aggregate_id text NOT NULL,
    received_at timestamptz NOT NULL,
    CONSTRAINT pk_received_events PRIMARY KEY (message_id)
);
