-- Lending devices (Loans/): what each financing programme allows, and the loans themselves.

-- Who may borrow a device of a programme and for how long, as data: a programme's terms change without a release. Read by
-- GET /api/assets/loan-rules; a programme without a row lends nothing.
CREATE TABLE loan_programme_rules (
    programme text NOT NULL,
    pupils_may_borrow boolean NOT NULL,
    teachers_may_borrow boolean NOT NULL,
    max_loan_days integer NULL,
    note text NOT NULL,
    CONSTRAINT pk_loan_programme_rules PRIMARY KEY (programme),
    CONSTRAINT ck_loan_programme_rules_limit CHECK ((pupils_may_borrow OR teachers_may_borrow) = (max_loan_days IS NOT NULL) AND max_loan_days > 0)
);
INSERT INTO loan_programme_rules (programme, pupils_may_borrow, teachers_may_borrow, max_loan_days, note) VALUES
    ('ImmediateEquipmentLoan', true, false, 1095,
     'Sofortausstattungsprogramm 2020: loan devices for pupils without a device of their own; lent for up to three school years.'),
    ('TeacherLoanDevices', false, true, 1825,
     'Leihgeräte für Lehrkräfte 2021: for teachers only, as their service device for its useful life (five years).'),
    ('DigitalPaktBase', true, true, 366,
     'DigitalPakt Schule (Basisförderung): school devices, lent to pupils or teachers for up to one school year at a time.'),
    ('CityMepBudget', true, true, 366,
     'The city''s MEP budget: school devices, lent to pupils or teachers for up to one school year at a time.'),
    ('ParentFinanced', false, false, NULL,
     'Parent-financed tablets belong to their pupils; the school never lends them.');

CREATE TABLE loans (
    id uuid NOT NULL,
    device_id uuid NOT NULL,
    school_id uuid NOT NULL,
    programme text NOT NULL,
    borrower_kind text NOT NULL,
    borrower_reference text NOT NULL,
    class_name text NULL,
    lent_on date NOT NULL,
    due_back date NOT NULL,
    state text NOT NULL,
    agreement_template text NOT NULL,
    agreement_version text NOT NULL,
    agreement_signed_on date NOT NULL,
    guardian_reference text NULL,
    damage_payer text NOT NULL,
    accessories text[] NOT NULL,
    condition_at_hand_out text NOT NULL,
    returned_on date NULL,
    condition_at_return text NULL,
    damaged boolean NOT NULL,
    damage_note text NULL,
    missing_accessories text[] NOT NULL,
    loss_reported_on date NULL,
    transferred_on date NULL,
    repair_case_id uuid NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT pk_loans PRIMARY KEY (id),
    CONSTRAINT fk_loans_devices_device_id FOREIGN KEY (device_id) REFERENCES devices (id) ON DELETE RESTRICT,
    -- The domain type guards these too; the database refuses what slips past it.
    CONSTRAINT ck_loans_due_back CHECK (due_back > lent_on),
    CONSTRAINT ck_loans_guardian_only_for_pupils CHECK (borrower_kind = 'Pupil' OR guardian_reference IS NULL),
    CONSTRAINT ck_loans_ended CHECK ((state = 'Returned') = (returned_on IS NOT NULL)
        AND (state IN ('Lost', 'Stolen')) = (loss_reported_on IS NOT NULL)
        AND (state = 'TransferredOut') = (transferred_on IS NOT NULL))
);
-- A device is out on one loan at a time, even when two hand-outs race.
CREATE UNIQUE INDEX ux_loans_device_id_out ON loans (device_id) WHERE state = 'Out';
-- A device's loans, newest first (its history, a repair's replacement).
CREATE INDEX ix_loans_device_id ON loans (device_id);
-- One school's loans in the list's order; its open loans by due date (overdue); a borrower's loans.
CREATE INDEX ix_loans_school_id_lent_on_id ON loans (school_id, lent_on, id);
CREATE INDEX ix_loans_school_id_state_due_back ON loans (school_id, state, due_back);
CREATE INDEX ix_loans_school_id_borrower_reference ON loans (school_id, borrower_reference);
