-- A ticket's SLA timers as one row: the timers as one jsonb array, and the next instants the escalation job waits for as
-- indexed columns. A new ticket wrote four timer rows with twelve index entries and four foreign-key checks; now one row
-- with three entries and one check. The view sla_timers shows the timers one a row, with the columns of the table it replaces,
-- so what reads timers (ticket answers, the feed, the metrics) reads them as before.

CREATE TABLE ticket_sla_timers (
    ticket_id uuid NOT NULL,
    timers jsonb NOT NULL,
    next_warn_at timestamptz NULL,
    next_due_at timestamptz NULL,
    CONSTRAINT pk_ticket_sla_timers PRIMARY KEY (ticket_id),
    CONSTRAINT fk_ticket_sla_timers_tickets_ticket_id FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE
);
CREATE INDEX ix_ticket_sla_timers_next_warn_at ON ticket_sla_timers (next_warn_at) WHERE next_warn_at IS NOT NULL;
CREATE INDEX ix_ticket_sla_timers_next_due_at ON ticket_sla_timers (next_due_at) WHERE next_due_at IS NOT NULL;

INSERT INTO ticket_sla_timers (ticket_id, timers, next_warn_at, next_due_at)
SELECT ticket_id,
       jsonb_agg(jsonb_build_object(
           'clock', clock, 'target', target, 'target_minutes', target_minutes, 'elapsed_minutes', elapsed_minutes,
           'calendar_code', calendar_code, 'runs_in_school_holidays', runs_in_school_holidays, 'auto_escalate', auto_escalate,
           'active', active, 'warn_at', warn_at, 'due_at', due_at, 'met_at', met_at, 'warned_at', warned_at,
           'breached_at', breached_at, 'no_due_time_reason', no_due_time_reason) ORDER BY clock, target),
       min(warn_at) FILTER (WHERE active AND warned_at IS NULL),
       min(due_at) FILTER (WHERE active AND breached_at IS NULL)
FROM sla_timers
GROUP BY ticket_id;

DROP TABLE sla_timers;

CREATE VIEW sla_timers AS
SELECT s.ticket_id, t.clock, t.target, t.target_minutes, t.elapsed_minutes, t.calendar_code, t.runs_in_school_holidays,
       t.auto_escalate, t.active, t.warn_at, t.due_at, t.met_at, t.warned_at, t.breached_at, t.no_due_time_reason
FROM ticket_sla_timers s
CROSS JOIN LATERAL jsonb_to_recordset(s.timers) AS t(
    clock text, target text, target_minutes integer, elapsed_minutes numeric(10,2), calendar_code text,
    runs_in_school_holidays boolean, auto_escalate boolean, active boolean, warn_at timestamptz, due_at timestamptz,
    met_at timestamptz, warned_at timestamptz, breached_at timestamptz, no_due_time_reason text);
