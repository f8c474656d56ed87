-- Earlier checksum (comments reworded): DE94E1C535715F8B16DD1D2534C56EBA3E33B931E996ED64993C2C5A9146C24D
-- The Funding service, allocations and cost tables. Allocations: each school's base amount (computed from its pupils by the programme's rule, bound to the
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

-- Named cost tables in the council paper's form (Kostentabelle): the inputs, and the figures a source printed, to compare.
CREATE TABLE cost_tables (
    code text NOT NULL,
    name text NOT NULL,
    source text NULL,
    inputs jsonb NOT NULL,
    printed_figures jsonb NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text NOT NULL,
    CONSTRAINT pk_cost_tables PRIMARY KEY (code)
);

INSERT INTO cost_tables (code, name, source, inputs, printed_figures, updated_at, updated_by) VALUES
('drucksache-1000-2020', 'MEP continuation and DigitalPakt implementation (measures 1-4)',
 'Drucksache 1000/2020, Kostentabelle: Teilfinanzhaushalt 40, Investitionsmaßnahme I.24303.906 Medienentwicklungsplan; Teilergebnishaushalt 40, Produkt 24303.',
 '{"grantsForInvestment": 783960.00, "purchaseOfMovableAssets": 4767000.00, "usefulLifeYears": 5, "personnel": 1734000.00,
   "goodsAndServices": 734400.00, "depreciation": 1011900.00, "interest": 71000.00}',
 '[{"line": "grantsForInvestment", "amount": 783960.00}, {"line": "purchaseOfMovableAssets", "amount": 4767000.00},
   {"line": "investmentBalance", "amount": -3983040.00}, {"line": "releaseOfSpecialItem", "amount": 156792.00},
   {"line": "personnel", "amount": 1734000.00}, {"line": "goodsAndServices", "amount": 734400.00},
   {"line": "depreciation", "amount": 1011900.00}, {"line": "interest", "amount": 71000.00}, {"line": "yearBalance", "amount": -3394508.00}]',
 '2020-05-01T00:00:00Z', 'migration');

-- The city's share of parents' tablet contracts per subsidy category (docs/domain.md, "Parent-financed tablets and subsidies").
CREATE TABLE subsidy_rules (
    category text NOT NULL,
    city_share numeric(5,4) NOT NULL,
    source text NOT NULL,
    CONSTRAINT pk_subsidy_rules PRIMARY KEY (category),
    CONSTRAINT ck_subsidy_rules_city_share CHECK (city_share BETWEEN 0 AND 1)
);
INSERT INTO subsidy_rules (category, city_share, source) VALUES
('ButAsylbLG', 0.6000, 'Drucksache 1000/2020: pupils with a BuT claim or AsylbLG benefits, the city pays 60 % of the monthly rent.'),
('Sibling', 0.4000, 'Drucksache 1000/2020: from the second child of a family in the programme, 40 % of the monthly rate.'),
('None', 0.0000, 'No subsidy: the parents pay in full.');
