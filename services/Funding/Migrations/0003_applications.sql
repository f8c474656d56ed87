-- Applications (funded measures) with their status history, the invoices spent against them, the draws (Mittelabruf) and the
-- proof of use. The per-school report reads applications, expenditures and draws with SQL: their columns are a contract.
-- Statuses and categories are stored by enum name ('Approved', 'MobileDevices'), as every enum of this service.

CREATE TABLE applications (
    id uuid NOT NULL,
    programme_code text NOT NULL,
    school_id uuid NOT NULL,
    category text NOT NULL,
    title text NOT NULL,
    description text NULL,
    planned_amount numeric(14,2) NOT NULL,
    surcharge_amount numeric(14,2) NOT NULL,
    approved_amount numeric(14,2) NULL,
    -- Kept in step with the draws in the same transaction, under the application's row lock.
    drawn_amount numeric(14,2) NOT NULL DEFAULT 0,
    measure_start date NOT NULL,
    concept_reference text NULL,
    status text NOT NULL,
    first_come_first_served boolean NOT NULL DEFAULT false,
    submitted_on date NULL,
    approved_on date NULL,
    settled_on date NULL,
    proof_of_use_submitted_on date NULL,
    proof_of_use_document text NULL,
    proof_of_use_spent_total numeric(14,2) NULL,
    created_at timestamptz NOT NULL,
    created_by text NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT pk_applications PRIMARY KEY (id),
    CONSTRAINT fk_applications_programmes_programme_code FOREIGN KEY (programme_code) REFERENCES programmes (code),
    CONSTRAINT ck_applications_drawn_within_approved CHECK (drawn_amount >= 0 AND drawn_amount <= coalesce(approved_amount, 0))
);
CREATE INDEX ix_applications_school_id_status ON applications (school_id, status);
CREATE INDEX ix_applications_programme_code_status_category ON applications (programme_code, status, category);
CREATE INDEX ix_applications_status ON applications (status);

-- Every transition of an application: from what to what, on which day, by whom.
CREATE TABLE application_status_changes (
    id bigint GENERATED ALWAYS AS IDENTITY,
    application_id uuid NOT NULL,
    from_status text NULL,
    to_status text NOT NULL,
    on_day date NOT NULL,
    at timestamptz NOT NULL,
    actor text NOT NULL,
    note text NULL,
    CONSTRAINT pk_application_status_changes PRIMARY KEY (id),
    CONSTRAINT fk_application_status_changes_applications_application_id FOREIGN KEY (application_id) REFERENCES applications (id)
);
CREATE INDEX ix_application_status_changes_application_id_id ON application_status_changes (application_id, id);

CREATE TABLE expenditures (
    id uuid NOT NULL,
    application_id uuid NOT NULL,
    school_id uuid NOT NULL,
    programme_code text NOT NULL,
    vendor text NOT NULL,
    invoice_number text NOT NULL,
    invoice_date date NOT NULL,
    amount numeric(14,2) NOT NULL,
    category text NOT NULL,
    -- The invoice's links as sent, read with the invoice (the proof of use lists them); no query looks an invoice up by them.
    device_ids jsonb NOT NULL,
    rollout_item_ids jsonb NOT NULL,
    recorded_at timestamptz NOT NULL,
    recorded_by text NOT NULL,
    CONSTRAINT pk_expenditures PRIMARY KEY (id),
    CONSTRAINT fk_expenditures_applications_application_id FOREIGN KEY (application_id) REFERENCES applications (id)
);
-- A vendor numbers its invoices once: the same invoice twice would be spent twice.
CREATE UNIQUE INDEX ix_expenditures_vendor_invoice_number ON expenditures (vendor, invoice_number);
CREATE INDEX ix_expenditures_application_id_invoice_date ON expenditures (application_id, invoice_date);
CREATE INDEX ix_expenditures_school_id_invoice_date ON expenditures (school_id, invoice_date);

CREATE TABLE draws (
    id uuid NOT NULL,
    application_id uuid NOT NULL,
    school_id uuid NOT NULL,
    programme_code text NOT NULL,
    amount numeric(14,2) NOT NULL,
    drawn_on date NOT NULL,
    reference text NOT NULL,
    drawn_at timestamptz NOT NULL,
    drawn_by text NOT NULL,
    CONSTRAINT pk_draws PRIMARY KEY (id),
    CONSTRAINT fk_draws_applications_application_id FOREIGN KEY (application_id) REFERENCES applications (id)
);
CREATE INDEX ix_draws_application_id_drawn_on ON draws (application_id, drawn_on);
CREATE INDEX ix_draws_school_id_drawn_on ON draws (school_id, drawn_on);
