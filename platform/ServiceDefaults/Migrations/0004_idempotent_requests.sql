-- Answers to writes sent with an Idempotency-Key, so that a client's retry gets the same answer and changes nothing.
CREATE TABLE idempotent_requests (
    caller text NOT NULL,
    key text NOT NULL,
    request_hash bytea NOT NULL,
    status_code integer NOT NULL,
    response_body text NOT NULL,
    location text NULL,
    created_at timestamptz NOT NULL,
    CONSTRAINT pk_idempotent_requests PRIMARY KEY (caller, key)
);
CREATE INDEX ix_idempotent_requests_created_at ON idempotent_requests (created_at);
