-- The school directory: each service's replica of the schools and school API keys, from Schools' events.
CREATE TABLE known_schools (
    school_id uuid NOT NULL,
    number text NOT NULL,
    name text NOT NULL,
    type text NOT NULL,
    district text NOT NULL,
    at_mep_standard boolean NOT NULL,
    mep_standard_since date NULL,
    as_of timestamptz NOT NULL,
    CONSTRAINT pk_known_schools PRIMARY KEY (school_id)
);
CREATE INDEX ix_known_schools_district ON known_schools (district);

CREATE TABLE known_school_api_keys (
    key_id text NOT NULL,
    school_id uuid NOT NULL,
    secret_hash bytea NOT NULL,
    revoked_at timestamptz NULL,
    CONSTRAINT pk_known_school_api_keys PRIMARY KEY (key_id)
);
CREATE INDEX ix_known_school_api_keys_school_id ON known_school_api_keys (school_id);
