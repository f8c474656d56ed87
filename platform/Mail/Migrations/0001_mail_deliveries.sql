-- One row per mail a service decided to send: the idempotency record of its delivery, written around the SMTP send
-- (claimed before, finished after). Recipients and texts stay in the outbox message; this holds no personal data.
CREATE TABLE mail_deliveries (
    mail_id uuid NOT NULL,
    kind text NOT NULL,
    state text NOT NULL,
    attempts integer NOT NULL,
    claimed_at timestamptz NOT NULL,
    finished_at timestamptz NULL,
    last_error text NULL,
    CONSTRAINT pk_mail_deliveries PRIMARY KEY (mail_id)
);
CREATE INDEX ix_mail_deliveries_claimed_at ON mail_deliveries (claimed_at);
