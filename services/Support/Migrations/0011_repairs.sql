-- Repairs: a repair case on a ticket for a device, its payer decided by rules, its trip to the vendor or contractor and back,
-- the replacement Assets lends meanwhile, and its costs.
-- Earlier checksum (comments reworded): A29F67CAE16D599C6405EE805EC44F95CD0193731197793C65FF9E3B453C3E4A

-- What a repair's payer and report need of a device, from Assets' events (null: not told yet; events before repairs carry none of it).
ALTER TABLE known_devices
    ADD COLUMN status text NULL,
    ADD COLUMN funding_source text NULL,
    ADD COLUMN manufacturer text NULL,
    ADD COLUMN model text NULL,
    ADD COLUMN warranty_end date NULL,
    ADD COLUMN purchase_date date NULL,
    ADD COLUMN contract_provider text NULL;

CREATE TABLE repair_cases (
    id uuid NOT NULL,
    ticket_id uuid NOT NULL,
    school_id uuid NOT NULL,
    device_id uuid NOT NULL,
    manufacturer text NULL,
    model text NULL,
    diagnosis text NOT NULL,
    status text NOT NULL,
    opened_on date NOT NULL,
    opened_at timestamptz NOT NULL,
    opened_by text NOT NULL,
    decided_payer text NOT NULL,
    payer text NOT NULL,
    payer_rule text NOT NULL,
    payer_reason text NOT NULL,
    payer_rule_date date NULL,
    payer_overridden_by text NULL,
    payer_overridden_at timestamptz NULL,
    payer_override_reason text NULL,
    replacement_wanted boolean NOT NULL,
    sent_on date NULL,
    sent_to text NULL,
    back_on date NULL,
    closed_on date NULL,
    outcome text NULL,
    repeat_repair boolean NOT NULL,
    replacement_device_id uuid NULL,
    replacement_loan_id uuid NULL,
    replacement_unavailable boolean NOT NULL,
    replacement_returned_on date NULL,
    CONSTRAINT pk_repair_cases PRIMARY KEY (id),
    CONSTRAINT fk_repair_cases_tickets_ticket_id FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE RESTRICT
);
-- One case per ticket, and one open case per device: two agents opening at once cannot both succeed.
CREATE UNIQUE INDEX ix_repair_cases_ticket_id ON repair_cases (ticket_id);
CREATE UNIQUE INDEX ix_repair_cases_device_id ON repair_cases (device_id) WHERE closed_on IS NULL;
-- A device's repairs within twelve months (the repeat flag); a school's cases by day (lists, reports).
CREATE INDEX ix_repair_cases_device_id_opened_on ON repair_cases (device_id, opened_on);
CREATE INDEX ix_repair_cases_school_id_opened_on ON repair_cases (school_id, opened_on);
CREATE INDEX ix_repair_cases_opened_on ON repair_cases (opened_on);

-- Amounts recorded against a case's payer (a vendor's invoice, a part); the contractor's hours are contractor_bookings on the case's ticket.
CREATE TABLE repair_costs (
    id uuid NOT NULL,
    repair_case_id uuid NOT NULL,
    school_id uuid NOT NULL,
    payer text NOT NULL,
    amount numeric(12,2) NOT NULL,
    description text NOT NULL,
    incurred_on date NOT NULL,
    recorded_by text NOT NULL,
    recorded_at timestamptz NOT NULL,
    CONSTRAINT pk_repair_costs PRIMARY KEY (id),
    CONSTRAINT fk_repair_costs_repair_cases_repair_case_id FOREIGN KEY (repair_case_id) REFERENCES repair_cases (id) ON DELETE RESTRICT
);
CREATE INDEX ix_repair_costs_repair_case_id ON repair_costs (repair_case_id);
CREATE INDEX ix_repair_costs_school_id ON repair_costs (school_id);

-- The terms the payer rules read: the seller's statutory liability (one row; none: 24 months) and manufacturers' warranties per model.
CREATE TABLE repair_terms (
    id integer NOT NULL,
    statutory_liability_months integer NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text NOT NULL,
    CONSTRAINT pk_repair_terms PRIMARY KEY (id),
    CONSTRAINT ck_repair_terms_one_row CHECK (id = 1)
);

CREATE TABLE model_warranties (
    manufacturer text NOT NULL,
    model text NOT NULL,
    warranty_months integer NOT NULL,
    CONSTRAINT pk_model_warranties PRIMARY KEY (manufacturer, model)
);
