-- What the proof of use of a loan programme shows: the loans Assets reports, one row per loan, and the repair costs Support
-- records against their payer, one row per cost. Rows are keyed by the publisher's ids, so a replayed event changes nothing twice.
-- Earlier checksum (comments reworded): 785527B9A79341925D027B18C84D9B9752975C74355A37505CE343DC590FB84F

-- A loan as Assets reported it. The hand-out's facts (programme, borrower, days) and the loan's end are told by different events that may
-- arrive in either order: a part not yet heard of is null, and an end replaces another only when it is at least as new (ended_as_of).
CREATE TABLE known_loans (
    loan_id uuid NOT NULL,
    device_id uuid NOT NULL,
    school_id uuid NOT NULL,
    funding_source text NULL,
    borrower_kind text NULL,
    lent_on date NULL,
    due_back date NULL,
    repair_case_id uuid NULL,
    -- The loan this one continues after the borrower changed school (LoanTransferred), whose facts it takes over.
    transferred_from_loan_id uuid NULL,
    ending text NULL,
    ended_on date NULL,
    damaged boolean NULL,
    ended_as_of timestamptz NOT NULL,
    CONSTRAINT pk_known_loans PRIMARY KEY (loan_id),
    CONSTRAINT ck_known_loans_ending CHECK (ending IS NULL OR ending IN ('Returned', 'Lost', 'Stolen', 'TransferredAway'))
);
CREATE INDEX ix_known_loans_funding_source_school_id ON known_loans (funding_source, school_id);
CREATE INDEX ix_known_loans_school_id ON known_loans (school_id);
CREATE INDEX ix_known_loans_transferred_from_loan_id ON known_loans (transferred_from_loan_id);

-- A cost of a repair as Support recorded it against its payer; a cost once recorded does not change.
CREATE TABLE repair_costs (
    cost_id uuid NOT NULL,
    repair_case_id uuid NOT NULL,
    school_id uuid NOT NULL,
    device_id uuid NOT NULL,
    payer text NOT NULL,
    amount numeric(12,2) NOT NULL,
    contractor_hours numeric(8,2) NULL,
    incurred_on date NOT NULL,
    recorded_at timestamptz NOT NULL,
    CONSTRAINT pk_repair_costs PRIMARY KEY (cost_id)
);
CREATE INDEX ix_repair_costs_incurred_on ON repair_costs (incurred_on);
CREATE INDEX ix_repair_costs_school_id_incurred_on ON repair_costs (school_id, incurred_on);
