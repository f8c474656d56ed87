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

-- The per-school report sums a programme's invoices per school: an index-only scan instead of reading every invoice row.
CREATE INDEX ix_expenditures_programme_code_school_id ON expenditures (programme_code, school_id) INCLUDE (amount);
CREATE INDEX ix_applications_programme_code_school_id ON applications (programme_code, school_id)
    INCLUDE (status, planned_amount, approved_amount, drawn_amount);
