-- Work lists: tickets searched in German full text, filtered and sorted by their due times, counted per status.

-- Full text over the subject, the report and the public comments, stemmed as German ("Druckers" is found by "Drucker").
-- Generated columns: PostgreSQL keeps them with every write, no code path can forget them. Internal notes get a vector (a
-- generated column has no condition) but no index entry: no search reads them.
ALTER TABLE tickets
    ADD COLUMN search_vector tsvector NOT NULL GENERATED ALWAYS AS (to_tsvector('german', title || ' ' || description)) STORED;
CREATE INDEX ix_tickets_search_vector ON tickets USING gin (search_vector);

ALTER TABLE ticket_comments
    ADD COLUMN search_vector tsvector NOT NULL GENERATED ALWAYS AS (to_tsvector('german', body)) STORED;
CREATE INDEX ix_ticket_comments_search_vector ON ticket_comments USING gin (search_vector) WHERE NOT internal;

-- Filters by status (and the counts per status), category and level, newest first.
CREATE INDEX ix_tickets_status_created_at ON tickets (status, created_at);
CREATE INDEX ix_tickets_category_created_at ON tickets (category, created_at);
CREATE INDEX ix_tickets_level_created_at ON tickets (level, created_at);

-- The due times a work list shows and sorts by, kept with the timers they come from (TicketSlaTimers.Store): the earliest due
-- instant of the counting (active) first-response and resolution timers, and the earlier of the two. A breach already announced
-- stays in due_at (unlike next_due_at, which the escalation job waits on): a ticket past its due time is breached until met.
ALTER TABLE ticket_sla_timers
    ADD COLUMN first_response_due_at timestamptz NULL,
    ADD COLUMN resolution_due_at timestamptz NULL,
    ADD COLUMN due_at timestamptz NULL;

UPDATE ticket_sla_timers s
SET first_response_due_at = d.first_response_due_at, resolution_due_at = d.resolution_due_at, due_at = d.due_at
FROM (
    SELECT ticket_id,
           min(due_at) FILTER (WHERE active AND target = 'firstResponse') AS first_response_due_at,
           min(due_at) FILTER (WHERE active AND target = 'resolution') AS resolution_due_at,
           min(due_at) FILTER (WHERE active) AS due_at
    FROM sla_timers
    GROUP BY ticket_id
) d
WHERE d.ticket_id = s.ticket_id;

CREATE INDEX ix_ticket_sla_timers_due_at ON ticket_sla_timers (due_at) WHERE due_at IS NOT NULL;
