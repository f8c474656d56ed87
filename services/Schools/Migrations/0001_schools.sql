-- Schools, their school years, buildings and rooms, and school API keys.
-- Names and types must agree with Data/SchoolsDbContext.cs (SchemaAgreementTests checks it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE schools (
    id uuid NOT NULL,
    number text NOT NULL,
    name text NOT NULL,
    type text NOT NULL,
    street text NOT NULL,
    postal_code text NOT NULL,
    city text NOT NULL,
    district text NOT NULL,
    mep_pilot boolean NOT NULL,
    mep_pilot_since date NULL,
    mep_standard text NOT NULL,
    mep_standard_wave integer NULL,
    mep_standard_target_year integer NULL,
    mep_standard_joined_on date NULL,
    portal_offer boolean NOT NULL,
    portal_onboarded_on date NULL,
    mobile_learning boolean NOT NULL,
    mdm_enrolled_on date NULL,
    media_concept text NOT NULL,
    media_concept_dated date NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT pk_schools PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_schools_number ON schools (number);
CREATE INDEX ix_schools_name ON schools (name);
CREATE INDEX ix_schools_type ON schools (type);
CREATE INDEX ix_schools_district ON schools (district);
-- The list's free-text search is a substring match on name; trigrams let it use an index.
CREATE INDEX ix_schools_name_trgm ON schools USING gin (name gin_trgm_ops);

CREATE TABLE school_years (
    school_id uuid NOT NULL,
    start_year integer NOT NULL,
    pupils integer NOT NULL,
    teachers integer NOT NULL,
    classes integer NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT pk_school_years PRIMARY KEY (school_id, start_year),
    CONSTRAINT fk_school_years_schools_school_id FOREIGN KEY (school_id) REFERENCES schools (id) ON DELETE CASCADE,
    CONSTRAINT ck_school_years_counts CHECK (pupils >= 0 AND teachers >= 0 AND classes >= 0)
);

CREATE TABLE buildings (
    id uuid NOT NULL,
    school_id uuid NOT NULL,
    name text NOT NULL,
    created_at timestamptz NOT NULL,
    CONSTRAINT pk_buildings PRIMARY KEY (id),
    CONSTRAINT fk_buildings_schools_school_id FOREIGN KEY (school_id) REFERENCES schools (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX ix_buildings_school_id_name ON buildings (school_id, name);

CREATE TABLE rooms (
    id uuid NOT NULL,
    school_id uuid NOT NULL,
    building_id uuid NOT NULL,
    number text NOT NULL,
    kind text NOT NULL,
    description text NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT pk_rooms PRIMARY KEY (id),
    CONSTRAINT fk_rooms_schools_school_id FOREIGN KEY (school_id) REFERENCES schools (id) ON DELETE CASCADE,
    CONSTRAINT fk_rooms_buildings_building_id FOREIGN KEY (building_id) REFERENCES buildings (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX ix_rooms_building_id_number ON rooms (building_id, number);
CREATE INDEX ix_rooms_school_id_kind ON rooms (school_id, kind);

CREATE TABLE school_api_keys (
    id uuid NOT NULL,
    school_id uuid NOT NULL,
    key_id text NOT NULL,
    secret_hash bytea NOT NULL,
    label text NOT NULL,
    created_at timestamptz NOT NULL,
    created_by text NOT NULL,
    revoked_at timestamptz NULL,
    revoked_by text NULL,
    last_used_at timestamptz NULL,
    CONSTRAINT pk_school_api_keys PRIMARY KEY (id),
    CONSTRAINT fk_school_api_keys_schools_school_id FOREIGN KEY (school_id) REFERENCES schools (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX ix_school_api_keys_key_id ON school_api_keys (key_id);
CREATE INDEX ix_school_api_keys_school_id ON school_api_keys (school_id);
