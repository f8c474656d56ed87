-- The Funding service, allocations: each school's base amount (computed from its pupils by the programme's rule, bound to the
-- school in DigitalPakt) and per-pupil share (distributed by finance), per programme. Reports read base_amount + per_pupil_share.

CREATE TABLE allocations (
    programme_code text NOT NULL REFERENCES programmes (code),
    school_id uuid NOT NULL,
    base_amount numeric(14,2) NOT NULL,
    -- The pupils the base amount was computed from; NULL when the school has no figures for the rule's school year (no base).
    base_pupils integer NULL,
    per_pupil_share numeric(14,2) NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text NOT NULL,
    CONSTRAINT pk_allocations PRIMARY KEY (programme_code, school_id),
    CONSTRAINT ck_allocations_not_negative CHECK (base_amount >= 0 AND per_pupil_share >= 0)
);
CREATE INDEX ix_allocations_school_id ON allocations (school_id);

-- One row per programme whose xmin versions all of its allocations (the ETag a distribution is replaced against).
CREATE TABLE allocation_sets (
    programme_code text NOT NULL REFERENCES programmes (code),
    updated_at timestamptz NOT NULL,
    updated_by text NOT NULL,
    CONSTRAINT pk_allocation_sets PRIMARY KEY (programme_code)
);
INSERT INTO allocation_sets (programme_code, updated_at, updated_by) SELECT code, updated_at, 'migration' FROM programmes;
