-- Organisational units (OrgUnits/): created and retired on purpose, with every change of a unit and of its posts kept.
-- Before, PUT /posts/{orgUnit} created a unit for any text it was given; now posts are set only for a unit that exists.

-- A unit's code stands in URLs, so it is short and needs no escaping; unique ignoring case. A unit whose posts were never set
-- (posts_set_at NULL) may be deleted; a used one is retired and stays.
CREATE TABLE org_units (
    code text NOT NULL,
    name text NOT NULL,
    created_at timestamptz NOT NULL,
    created_by text NOT NULL,
    retired_at timestamptz NULL,
    retired_by text NULL,
    retirement_reason text NULL,
    posts_set_at timestamptz NULL,
    CONSTRAINT pk_org_units PRIMARY KEY (code),
    CONSTRAINT ck_org_units_code CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$'),
    CONSTRAINT ck_org_units_retired CHECK ((retired_at IS NULL) = (retired_by IS NULL))
);
CREATE UNIQUE INDEX ux_org_units_code_ignoring_case ON org_units (lower(code));

-- Who changed what when, from what to what. By code and without a foreign key: the record of a deleted unit stays.
CREATE TABLE org_unit_changes (
    id bigint GENERATED ALWAYS AS IDENTITY,
    org_unit text NOT NULL,
    change text NOT NULL,
    changed_at timestamptz NOT NULL,
    changed_by text NOT NULL,
    name_before text NULL,
    name_after text NULL,
    posts_before numeric(6, 2) NULL,
    posts_after numeric(6, 2) NULL,
    reason text NULL,
    CONSTRAINT pk_org_unit_changes PRIMARY KEY (id)
);
CREATE INDEX ix_org_unit_changes_org_unit_id ON org_unit_changes (org_unit, id);

-- Every organisational unit current posts name becomes a unit, its text the unit's name and its code that text in the
-- allowed characters ('OE 40.04 AM' becomes OE-40.04-AM); texts that come out alike get -2, -3, ... The posts are kept.
CREATE TEMPORARY TABLE org_unit_codes ON COMMIT DROP AS
WITH cleaned AS (
    SELECT org_unit,
           left(coalesce(nullif(regexp_replace(regexp_replace(org_unit, '[^A-Za-z0-9._-]+', '-', 'g'), '^[^A-Za-z0-9]+|-+$', '', 'g'), ''),
                         'unit'), 34) AS code
    FROM current_posts
)
SELECT org_unit,
       CASE WHEN row_number() OVER (PARTITION BY lower(code) ORDER BY org_unit) = 1 THEN code
            ELSE code || '-' || row_number() OVER (PARTITION BY lower(code) ORDER BY org_unit) END AS code
FROM cleaned;

INSERT INTO org_units (code, name, created_at, created_by, posts_set_at)
SELECT c.code, left(btrim(p.org_unit), 200), p.updated_at, 'migration', p.updated_at
FROM org_unit_codes c JOIN current_posts p ON p.org_unit = c.org_unit;

INSERT INTO org_unit_changes (org_unit, change, changed_at, changed_by, name_after, reason)
SELECT c.code, 'Created', p.updated_at, 'migration', left(btrim(p.org_unit), 200), 'Created from the current posts when units were introduced.'
FROM org_unit_codes c JOIN current_posts p ON p.org_unit = c.org_unit
ORDER BY c.code;

INSERT INTO org_unit_changes (org_unit, change, changed_at, changed_by, posts_after)
SELECT c.code, 'PostsSet', p.updated_at, p.updated_by, p.posts
FROM org_unit_codes c JOIN current_posts p ON p.org_unit = c.org_unit
ORDER BY c.code;

-- The key is dropped while the rows take their codes: one row may take a code another row still has.
ALTER TABLE current_posts DROP CONSTRAINT pk_current_posts;
UPDATE current_posts p SET org_unit = c.code FROM org_unit_codes c WHERE p.org_unit = c.org_unit;
ALTER TABLE current_posts ADD CONSTRAINT pk_current_posts PRIMARY KEY (org_unit);
ALTER TABLE current_posts ADD CONSTRAINT fk_current_posts_org_units_org_unit FOREIGN KEY (org_unit) REFERENCES org_units (code);
