-- Notifications by mail (the mails themselves travel in the outbox as SupportMailQueued).
-- Each person's choice of mails: which kinds, and one daily digest instead of single mails. No row: every kind, single mails.
CREATE TABLE notification_preferences (
    subject text NOT NULL,
    ticket_assigned boolean NOT NULL,
    ticket_escalated boolean NOT NULL,
    sla_warning boolean NOT NULL,
    sla_breach boolean NOT NULL,
    daily_digest boolean NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text NOT NULL,
    CONSTRAINT pk_notification_preferences PRIMARY KEY (subject)
);

-- What waits for a person's next daily digest; removed in the transaction that queues the digest mail.
CREATE TABLE notification_digest_items (
    id bigint GENERATED ALWAYS AS IDENTITY,
    subject text NOT NULL,
    kind text NOT NULL,
    ticket_id uuid NOT NULL,
    line text NOT NULL,
    occurred_at timestamptz NOT NULL,
    CONSTRAINT pk_notification_digest_items PRIMARY KEY (id)
);
CREATE INDEX ix_notification_digest_items_subject_id ON notification_digest_items (subject, id);
