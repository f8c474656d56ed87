-- Reports: deadline warnings, each given once per programme deadline (and its day), warning window and school; indexes for the
-- per-school report.
CREATE TABLE deadline_warnings (
    programme_code text NOT NULL,
    deadline text NOT NULL,
    day date NOT NULL,
    window_days integer NOT NULL,
    school_id uuid NOT NULL,
    days_left integer NOT NULL,
    amount_at_risk numeric(14,2) NOT NULL,
    warned_at timestamptz NOT NULL,
    CONSTRAINT pk_deadline_warnings PRIMARY KEY (programme_code, deadline, day, window_days, school_id)
);
CREATE INDEX ix_deadline_warnings_warned_at ON deadline_warnings (warned_at);
CREATE INDEX ix_deadline_warnings_school_id_warned_at ON deadline_warnings (school_id, warned_at);
CREATE INDEX ix_deadline_warnings_programme_code_warned_at ON deadline_warnings (programme_code, warned_at);

-- What an application's invoices add up to, kept with each invoice under the application's row lock (as drawn_amount is with the
-- draws): the per-school report sums applications, not 200,000 invoices.
ALTER TABLE applications ADD COLUMN spent_amount numeric(14,2) NOT NULL DEFAULT 0;
UPDATE applications a SET spent_amount = s.spent FROM (SELECT application_id, sum(amount) AS spent FROM expenditures GROUP BY application_id) s
WHERE s.application_id = a.id;
-- The report reads a programme's applications per school from the index alone.
CREATE INDEX ix_applications_programme_code_school_id ON applications (programme_code, school_id)
    INCLUDE (status, planned_amount, approved_amount, drawn_amount, spent_amount);

-- Lists: applications newest first (city-wide and per school), invoices by day, the audit trail of one kind of entity.
CREATE INDEX ix_applications_created_at_id ON applications (created_at, id);
CREATE INDEX ix_applications_school_id_created_at_id ON applications (school_id, created_at, id);
CREATE INDEX ix_expenditures_invoice_date_id ON expenditures (invoice_date, id);
CREATE INDEX ix_audit_entries_entity_id ON audit_entries (entity, id);
