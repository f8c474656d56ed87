-- Earlier checksum (comments reworded): 5506AD850FF8CB0105D0F918E56AEC5B3E9C214570F99BBBD938B1B501962F93
-- The Funding service, first part: what it knows from other services (school years, media concepts, devices), the programmes
-- with their rules as data, and the audit trail. Feature tables (allocations, applications, spend, subsidies, reports) follow in
-- their own migrations.

-- Pupils per school and school year, from Schools' SchoolYearFiguresRecorded (newest wins).
CREATE TABLE known_school_years (
    school_id uuid NOT NULL,
    start_year integer NOT NULL,
    pupils integer NOT NULL,
    teachers integer NOT NULL,
    as_of timestamptz NOT NULL,
    CONSTRAINT pk_known_school_years PRIMARY KEY (school_id, start_year)
);

-- Each school's media education concept, from Schools' MediaConceptRecorded (newest wins).
CREATE TABLE known_media_concepts (
    school_id uuid NOT NULL,
    status text NOT NULL,
    dated date NULL,
    as_of timestamptz NOT NULL,
    CONSTRAINT pk_known_media_concepts PRIMARY KEY (school_id)
);

-- Every device Assets announced, in three parts (school, facts, status) that each keep the time they were true at Assets.
CREATE TABLE known_devices (
    device_id uuid NOT NULL,
    school_id uuid NULL,
    school_as_of timestamptz NOT NULL,
    kind text NULL,
    ownership text NULL,
    subsidy_category text NULL,
    funding_source text NULL,
    purchase_date date NULL,
    purchase_price numeric(12,2) NULL,
    useful_life_months integer NULL,
    contract_monthly_rate numeric(10,2) NULL,
    contract_months integer NULL,
    contract_provider text NULL,
    facts_as_of timestamptz NOT NULL,
    status text NULL,
    status_as_of timestamptz NOT NULL,
    first_seen_at timestamptz NOT NULL,
    CONSTRAINT pk_known_devices PRIMARY KEY (device_id)
);
CREATE INDEX ix_known_devices_school_id ON known_devices (school_id);

CREATE TABLE programmes (
    code text NOT NULL,
    name text NOT NULL,
    kind text NOT NULL,
    source text NOT NULL,
    rules jsonb NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text NOT NULL,
    CONSTRAINT pk_programmes PRIMARY KEY (code)
);

CREATE TABLE audit_entries (
    id bigint GENERATED ALWAYS AS IDENTITY,
    entity text NOT NULL,
    entity_id text NOT NULL,
    school_id uuid NULL,
    action text NOT NULL,
    actor text NOT NULL,
    at timestamptz NOT NULL,
    details jsonb NOT NULL,
    CONSTRAINT pk_audit_entries PRIMARY KEY (id)
);
CREATE INDEX ix_audit_entries_entity_entity_id_id ON audit_entries (entity, entity_id, id);
CREATE INDEX ix_audit_entries_school_id_id ON audit_entries (school_id, id);

-- The programmes of docs/domain.md. Figures marked [?] there are not verified: they are data here, to be corrected by finance.
INSERT INTO programmes (code, name, kind, source, rules, updated_at, updated_by) VALUES
('digitalpakt-2019-ni', 'DigitalPakt Schule 2019-2024 (Lower Saxony)', 'DigitalPakt',
 'Richtlinie RdErl. d. MK v. 08.08.2019, Az. 54-80009-01-1.1, Nds. MBl. 2019 S. 1159; Hannover''s share as in Drucksache 1000/2020.',
 '{
   "fundingRate": 1.0, "ownShareRate": 0.0,
   "financiers": [{"name": "federal", "share": 0.9}, {"name": "land", "share": 0.1}],
   "pool": 20186836.00,
   "baseAmount": {"perSchool": 30000.00, "minimumPupils": 60, "perPupilBelowMinimum": 500.00, "pupilsOfStartYear": 2019, "boundToSchool": true},
   "perPupilShare": {"pool": 17216836.00, "pupilsOfStartYear": 2019, "weights": [
     {"schoolType": "GS", "weight": 0.5}, {"schoolType": "HS", "weight": 1.0}, {"schoolType": "RS", "weight": 1.0}, {"schoolType": "OBS", "weight": 1.0},
     {"schoolType": "GY", "weight": 1.0}, {"schoolType": "IGS", "weight": 1.0}, {"schoolType": "KGS", "weight": 1.0}, {"schoolType": "FöS", "weight": 1.0},
     {"schoolType": "BBS", "weight": 0.4}]},
   "eligibleCategories": ["networking", "schoolWlan", "learningPlatforms", "displayDevices", "workDevices", "mobileDevices"],
   "mobileDeviceCap": {"shareOfPool": 0.2, "perSchool": 25000.00, "eligibleFrom": "2020-03-26"},
   "dates": {"measuresFrom": "2019-05-17", "measuresUntil": "2024-12-31", "applicationsUntil": "2023-06-30", "firstComeFirstServedUntil": "2024-05-15",
             "approvalsUntil": "2024-05-15", "settlementUntil": "2024-12-31"},
   "safetySurchargeRate": 0.2,
   "settlement": {"proofOfUseRequired": true, "fullMediaConceptRequired": true, "requirementProfileToApply": true},
   "warningDaysBeforeDeadline": [90, 30, 7],
   "publishedFigures": [
     {"figure": "perPupilShare", "amount": 17286836.00, "source": "Drucksache 1000/2020 (one place)"},
     {"figure": "perPupilShare", "amount": 17216800.00, "source": "Drucksache 1000/2020 (another place)"},
     {"figure": "pool", "amount": 20186836.00, "source": "Drucksache 1000/2020"}],
   "note": "Applications by 16.05.2023, extended to 30.06.2023; from 01.07.2023 first come first served without per-authority budgets; approvable by 15.05.2024; implemented and settled by 31.12.2024. BBS weight 0.4 is the Land''s weight for part-time vocational pupils; FöS weight 1.0 is assumed [?]. Mobile-device cap amounts [?]."
 }', '2019-08-08T00:00:00Z', 'migration'),
('sofortausstattung-2020', 'Immediate equipment programme 2020 (loan devices for pupils)', 'Supplementary',
 'DigitalPakt supplementary agreement (Sofortausstattungsprogramm), 500 M EUR federal, Lower Saxony about 10 %.',
 '{
   "fundingRate": 1.0, "ownShareRate": 0.0, "financiers": [{"name": "federal", "share": 1.0}], "pool": null,
   "baseAmount": null, "perPupilShare": null, "eligibleCategories": ["mobileDevices"], "mobileDeviceCap": null,
   "dates": {"measuresFrom": "2020-03-16", "measuresUntil": "2020-12-31", "applicationsUntil": "2020-12-31", "firstComeFirstServedUntil": null,
             "approvalsUntil": "2020-12-31", "settlementUntil": "2021-12-31"},
   "safetySurchargeRate": 0.2, "settlement": {"proofOfUseRequired": true, "fullMediaConceptRequired": false, "requirementProfileToApply": false},
   "warningDaysBeforeDeadline": [90, 30, 7], "publishedFigures": [],
   "note": "Purchases 16.03.-31.12.2020; Hannover lent out 7,577 tablets. Hannover''s amount and the settlement day are not in the sources [?]."
 }', '2020-07-03T00:00:00Z', 'migration'),
('administration-2020', 'IT administration 2020-2024', 'Supplementary',
 'DigitalPakt supplementary agreement (Administration), 500 M EUR federal, from 03.06.2020.',
 '{
   "fundingRate": 1.0, "ownShareRate": 0.0, "financiers": [{"name": "federal", "share": 1.0}], "pool": null,
   "baseAmount": null, "perPupilShare": null, "eligibleCategories": ["itAdministration"], "mobileDeviceCap": null,
   "dates": {"measuresFrom": "2020-06-03", "measuresUntil": "2024-12-31", "applicationsUntil": null, "firstComeFirstServedUntil": null,
             "approvalsUntil": null, "settlementUntil": "2024-12-31"},
   "safetySurchargeRate": 0.2, "settlement": {"proofOfUseRequired": true, "fullMediaConceptRequired": false, "requirementProfileToApply": false},
   "warningDaysBeforeDeadline": [90, 30, 7], "publishedFigures": [],
   "note": "Additional IT-administration staff and contractors: money for support staffing. Hannover''s amount is not in the sources [?]."
 }', '2020-06-03T00:00:00Z', 'migration'),
('teacher-loan-devices-2021', 'Loan devices for teachers 2021', 'Supplementary',
 'DigitalPakt supplementary agreement (Leihgeräte für Lehrkräfte), 500 M EUR federal; budget by number of teachers, about 520 EUR per device, 3 % reserve.',
 '{
   "fundingRate": 1.0, "ownShareRate": 0.0, "financiers": [{"name": "federal", "share": 1.0}], "pool": null,
   "baseAmount": null, "perPupilShare": null, "eligibleCategories": ["mobileDevices"], "mobileDeviceCap": null,
   "dates": {"measuresFrom": "2021-01-01", "measuresUntil": "2021-12-31", "applicationsUntil": "2021-12-31", "firstComeFirstServedUntil": null,
             "approvalsUntil": "2021-12-31", "settlementUntil": "2022-06-30"},
   "safetySurchargeRate": 0.2, "settlement": {"proofOfUseRequired": true, "fullMediaConceptRequired": false, "requirementProfileToApply": false},
   "warningDaysBeforeDeadline": [90, 30, 7], "publishedFigures": [],
   "note": "About 520 EUR per device, budget by number of teachers, 3 % reserve. Exact dates are not in the sources [?]."
 }', '2021-01-01T00:00:00Z', 'migration'),
('digitalpakt-2-2025', 'DigitalPakt 2.0 (2025-2030)', 'DigitalPakt',
 'DigitalPakt 2.0: 5 bn EUR, half federal, half Länder; Lower Saxony counts measures from 01.01.2025.',
 '{
   "fundingRate": 1.0, "ownShareRate": 0.0, "financiers": [{"name": "federal", "share": 0.5}, {"name": "land", "share": 0.5}], "pool": null,
   "baseAmount": null, "perPupilShare": null,
   "eligibleCategories": ["networking", "schoolWlan", "learningPlatforms", "displayDevices", "workDevices", "mobileDevices"], "mobileDeviceCap": null,
   "dates": {"measuresFrom": "2025-01-01", "measuresUntil": "2030-12-31", "applicationsUntil": null, "firstComeFirstServedUntil": null,
             "approvalsUntil": null, "settlementUntil": "2030-12-31"},
   "safetySurchargeRate": 0.2, "settlement": {"proofOfUseRequired": true, "fullMediaConceptRequired": true, "requirementProfileToApply": true},
   "warningDaysBeforeDeadline": [90, 30, 7], "publishedFigures": [],
   "note": "Länder co-financing rises in steps and Lower Saxony''s guideline may give the authority an own share [?]: set ownShareRate and the dates when it is published."
 }', '2025-01-01T00:00:00Z', 'migration'),
('city-mep-budget', 'City MEP investment budget', 'CityBudget',
 'Drucksache 1000/2020: 2.5 M EUR per year MEP investment in the medium-term plan; 3.4 M EUR carried over.',
 '{
   "fundingRate": 1.0, "ownShareRate": 1.0, "financiers": [{"name": "city", "share": 1.0}], "pool": 2500000.00,
   "baseAmount": null, "perPupilShare": null,
   "eligibleCategories": ["networking", "schoolWlan", "learningPlatforms", "displayDevices", "workDevices", "mobileDevices", "itAdministration", "runningCosts", "support", "maintenance"],
   "mobileDeviceCap": null,
   "dates": {"measuresFrom": "2020-01-01", "measuresUntil": null, "applicationsUntil": null, "firstComeFirstServedUntil": null,
             "approvalsUntil": null, "settlementUntil": null},
   "safetySurchargeRate": 0.2, "settlement": {"proofOfUseRequired": false, "fullMediaConceptRequired": false, "requirementProfileToApply": false},
   "warningDaysBeforeDeadline": [90, 30, 7], "publishedFigures": [{"figure": "carriedOver", "amount": 3400000.00, "source": "Drucksache 1000/2020"}],
   "note": "The pool is per budget year; the city carries every follow-up cost of DigitalPakt measures."
 }', '2020-01-01T00:00:00Z', 'migration'),
('system-support-budget', 'System-support budget (Systembetreuungsmittel)', 'SystemSupport',
 'Drucksache 1000/2020: 290,000 EUR per year from the Land plus 290,000 EUR per year from the city, distributed to schools; pays CSS support hours.',
 '{
   "fundingRate": 1.0, "ownShareRate": 0.5, "financiers": [{"name": "land", "share": 0.5}, {"name": "city", "share": 0.5}], "pool": 580000.00,
   "baseAmount": null, "perPupilShare": null, "eligibleCategories": ["support", "maintenance"], "mobileDeviceCap": null,
   "dates": {"measuresFrom": "2020-01-01", "measuresUntil": null, "applicationsUntil": null, "firstComeFirstServedUntil": null,
             "approvalsUntil": null, "settlementUntil": null},
   "safetySurchargeRate": 0.0, "settlement": {"proofOfUseRequired": false, "fullMediaConceptRequired": false, "requirementProfileToApply": false},
   "warningDaysBeforeDeadline": [90, 30, 7], "publishedFigures": [],
   "note": "The pool is per year; each school''s share is booked in Support (contractor hours)."
 }', '2020-01-01T00:00:00Z', 'migration');
