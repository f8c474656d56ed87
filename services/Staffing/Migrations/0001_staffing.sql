-- Earlier checksum (comments reworded): 5926DB856162BFA3C6B59D7894B021D8251F6D66CA53C2BA76C6928A0F8C5B68
-- The Staffing service: its replica of the inventory (Counts/), staffing models as versioned data (Models/), current posts
-- (Calculation/), scenarios (Scenarios/), nightly history (History/) and ticket load (TicketLoad/).

-- One row per device Assets ever announced. Each part of its state (school, classification, status) keeps the time it was
-- true at Assets: an event applies a part only if it is at least as new, so redelivered, reordered and replayed events
-- converge on Assets' state. A device seen first through a later event (a status change before its registration) has
-- unknown parts (NULL) and does not count until they arrive.
CREATE TABLE tracked_devices (
    device_id uuid NOT NULL,
    school_id uuid NULL,
    school_as_of timestamptz NOT NULL,
    category text NULL,
    classification_as_of timestamptz NOT NULL,
    status text NULL,
    status_as_of timestamptz NOT NULL,
    CONSTRAINT pk_tracked_devices PRIMARY KEY (device_id)
);
CREATE INDEX ix_tracked_devices_school_id ON tracked_devices (school_id) INCLUDE (category, status);

-- Board systems: set up and dismantled are both final facts, so whichever event comes first, the row ends the same.
CREATE TABLE tracked_board_systems (
    board_system_id uuid NOT NULL,
    school_id uuid NULL,
    set_up boolean NOT NULL,
    dismantled boolean NOT NULL,
    CONSTRAINT pk_tracked_board_systems PRIMARY KEY (board_system_id)
);
CREATE INDEX ix_tracked_board_systems_school_id ON tracked_board_systems (school_id);

-- Devices in use per school and category: always recomputed from the two tables above for the schools an event touched,
-- never incremented, so it cannot drift from them.
CREATE TABLE school_counts (
    school_id uuid NOT NULL,
    pupil_tablets integer NOT NULL,
    teacher_tablets integer NOT NULL,
    loan_tablets integer NOT NULL,
    class_set_tablets integer NOT NULL,
    computer_room_devices integer NOT NULL,
    board_systems integer NOT NULL,
    board_system_components integer NOT NULL,
    network_devices integer NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT pk_school_counts PRIMARY KEY (school_id)
);

-- Pupils, teachers and classes per school and school year, from Schools' events (scenarios project devices per pupil).
CREATE TABLE known_school_years (
    school_id uuid NOT NULL,
    start_year integer NOT NULL,
    pupils integer NOT NULL,
    teachers integer NOT NULL,
    classes integer NOT NULL,
    as_of timestamptz NOT NULL,
    CONSTRAINT pk_known_school_years PRIMARY KEY (school_id, start_year)
);

-- Staffing models: a model is a name; what it computes is in its versions, each valid for a span of days.
CREATE TABLE staffing_models (
    id uuid NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    source text NOT NULL,
    built_in boolean NOT NULL,
    created_at timestamptz NOT NULL,
    created_by text NOT NULL,
    CONSTRAINT pk_staffing_models PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_staffing_models_code ON staffing_models (code);

CREATE TABLE staffing_model_versions (
    model_id uuid NOT NULL,
    version integer NOT NULL,
    valid_from date NOT NULL,
    valid_until date NULL,
    definition jsonb NOT NULL,
    note text NULL,
    created_at timestamptz NOT NULL,
    created_by text NOT NULL,
    CONSTRAINT pk_staffing_model_versions PRIMARY KEY (model_id, version),
    CONSTRAINT fk_staffing_model_versions_staffing_models_model_id FOREIGN KEY (model_id) REFERENCES staffing_models (id) ON DELETE CASCADE,
    CONSTRAINT ck_staffing_model_versions_span CHECK (valid_until IS NULL OR valid_until >= valid_from)
);

-- The posts the city has today per organisational unit (council paper, section 5.1.3), against which the need is compared.
CREATE TABLE current_posts (
    org_unit text NOT NULL,
    posts numeric(6, 2) NOT NULL CHECK (posts >= 0),
    updated_at timestamptz NOT NULL,
    updated_by text NOT NULL,
    CONSTRAINT pk_current_posts PRIMARY KEY (org_unit)
);

-- A planner's scenario: which schools reach the MEP standard when, and the devices expected there.
CREATE TABLE scenarios (
    id uuid NOT NULL,
    name text NOT NULL,
    description text NULL,
    definition jsonb NOT NULL,
    copied_from uuid NULL,
    created_at timestamptz NOT NULL,
    created_by text NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text NOT NULL,
    CONSTRAINT pk_scenarios PRIMARY KEY (id)
);
CREATE INDEX ix_scenarios_name ON scenarios (name);

-- Nightly history: the counts of every school, and its FTE under every model valid that day.
CREATE TABLE count_snapshots (
    taken_on date NOT NULL,
    school_id uuid NOT NULL,
    at_mep_standard boolean NOT NULL,
    pupil_tablets integer NOT NULL,
    teacher_tablets integer NOT NULL,
    loan_tablets integer NOT NULL,
    class_set_tablets integer NOT NULL,
    computer_room_devices integer NOT NULL,
    board_systems integer NOT NULL,
    board_system_components integer NOT NULL,
    network_devices integer NOT NULL,
    CONSTRAINT pk_count_snapshots PRIMARY KEY (taken_on, school_id)
);
CREATE INDEX ix_count_snapshots_school_id_taken_on ON count_snapshots (school_id, taken_on);

CREATE TABLE fte_snapshots (
    taken_on date NOT NULL,
    model_code text NOT NULL,
    model_version integer NOT NULL,
    school_id uuid NOT NULL,
    fte numeric NOT NULL,
    CONSTRAINT pk_fte_snapshots PRIMARY KEY (taken_on, model_code, school_id)
);
CREATE INDEX ix_fte_snapshots_model_code_taken_on ON fte_snapshots (model_code, taken_on);
CREATE INDEX ix_fte_snapshots_school_id_taken_on ON fte_snapshots (school_id, taken_on);

-- Every ticket counted, by id: a ticket counts once however often its event comes, also after the inbox has forgotten it.
CREATE TABLE counted_tickets (
    ticket_id uuid NOT NULL,
    CONSTRAINT pk_counted_tickets PRIMARY KEY (ticket_id)
);

-- Tickets opened per school and month (Berlin time), from Support's events.
CREATE TABLE ticket_load (
    school_id uuid NOT NULL,
    month date NOT NULL,
    tickets integer NOT NULL,
    solved_by_school integer NOT NULL,
    CONSTRAINT pk_ticket_load PRIMARY KEY (school_id, month)
);
CREATE INDEX ix_ticket_load_month ON ticket_load (month);

-- The built-in models (docs/domain.md, "Staffing ratios"). Enum values are the API's camelCase names.
INSERT INTO staffing_models (id, code, name, source, built_in, created_at, created_by) VALUES
    ('0193c0de-0000-7000-8000-000000000001', 'hannover-mep-2020', 'Hannover MEP 2020',
     'Council paper Drucksache 1000/2020: first level for schools fully at MEP standard; 1 FTE per 1,500 teacher and pupil tablets (loan tablets, lent to pupils, count with them), 1 per 700 computer-room devices; a board system counts as three devices, with class-set tablets; the paper states no ratio for that group, 1 per 700 is assumed.',
     true, '2020-05-11T00:00:00Z', 'migration'),
    ('0193c0de-0000-7000-8000-000000000002', 'ifib-bertelsmann-2017', 'ifib/Bertelsmann 2017',
     'ifib/Bertelsmann Stiftung 2017: one technician per 400 devices; every end device in use at any school counts (tablets, computer-room devices, a board system as three), network gear not.',
     true, '2017-01-01T00:00:00Z', 'migration'),
    ('0193c0de-0000-7000-8000-000000000003', 'stuttgart', 'Stuttgart',
     'Stuttgart: on-site FTE per school by school type, independent of devices: primary 0.33, secondary 0.5, vocational 1.0, special 0.33.',
     true, '2017-01-01T00:00:00Z', 'migration'),
    ('0193c0de-0000-7000-8000-000000000004', 'bremen', 'Bremen',
     'Bremen: about 2,400 iPads per FTE (41 posts for about 99,000 iPads); tablets of every ownership at any school.',
     true, '2020-01-01T00:00:00Z', 'migration');

INSERT INTO staffing_model_versions (model_id, version, valid_from, valid_until, definition, note, created_at, created_by) VALUES
    ('0193c0de-0000-7000-8000-000000000001', 1, '2020-01-01', NULL, '{
        "countedSchools": "mepStandard",
        "groups": [
            {"code": "tablets", "name": "Teacher and pupil tablets", "devicesPerFte": 1500,
             "weights": [{"category": "pupilTablets", "weight": 1}, {"category": "teacherTablets", "weight": 1}, {"category": "loanTablets", "weight": 1}]},
            {"code": "computerRooms", "name": "Computer-room devices", "devicesPerFte": 700,
             "weights": [{"category": "computerRoomDevices", "weight": 1}]},
            {"code": "boardsAndClassSets", "name": "Board systems (3 devices each) and class-set tablets", "devicesPerFte": 700,
             "weights": [{"category": "boardSystems", "weight": 3}, {"category": "classSetTablets", "weight": 1}]}
        ],
        "ftePerSchoolType": [],
        "rounding": {"mode": "up", "step": 0.5},
        "costPerFte": 93730.00
    }', 'As approved by the council in 2020; rounded up to half posts, as posts are created.', '2020-05-11T00:00:00Z', 'migration'),
    ('0193c0de-0000-7000-8000-000000000002', 1, '2017-01-01', NULL, '{
        "countedSchools": "all",
        "groups": [
            {"code": "devices", "name": "All devices (a board system as three)", "devicesPerFte": 400,
             "weights": [{"category": "pupilTablets", "weight": 1}, {"category": "teacherTablets", "weight": 1}, {"category": "loanTablets", "weight": 1},
                         {"category": "classSetTablets", "weight": 1}, {"category": "computerRoomDevices", "weight": 1}, {"category": "boardSystems", "weight": 3}]}
        ],
        "ftePerSchoolType": [],
        "rounding": {"mode": "up", "step": 1},
        "costPerFte": 93730.00
    }', NULL, '2017-01-01T00:00:00Z', 'migration'),
    ('0193c0de-0000-7000-8000-000000000003', 1, '2017-01-01', NULL, '{
        "countedSchools": "all",
        "groups": [],
        "ftePerSchoolType": [
            {"schoolType": "GS", "fte": 0.33}, {"schoolType": "HS", "fte": 0.5}, {"schoolType": "RS", "fte": 0.5}, {"schoolType": "OBS", "fte": 0.5},
            {"schoolType": "GY", "fte": 0.5}, {"schoolType": "IGS", "fte": 0.5}, {"schoolType": "KGS", "fte": 0.5}, {"schoolType": "BBS", "fte": 1.0},
            {"schoolType": "FöS", "fte": 0.33}
        ],
        "rounding": {"mode": "nearest", "step": 0.01},
        "costPerFte": 93730.00
    }', NULL, '2017-01-01T00:00:00Z', 'migration'),
    ('0193c0de-0000-7000-8000-000000000004', 1, '2020-01-01', NULL, '{
        "countedSchools": "all",
        "groups": [
            {"code": "tablets", "name": "Tablets of every ownership", "devicesPerFte": 2400,
             "weights": [{"category": "pupilTablets", "weight": 1}, {"category": "teacherTablets", "weight": 1}, {"category": "loanTablets", "weight": 1},
                         {"category": "classSetTablets", "weight": 1}]}
        ],
        "ftePerSchoolType": [],
        "rounding": {"mode": "up", "step": 1},
        "costPerFte": 93730.00
    }', NULL, '2020-01-01T00:00:00Z', 'migration');

INSERT INTO current_posts (org_unit, posts, updated_at, updated_by) VALUES
    ('OE 18.52', 6, '2020-05-11T00:00:00Z', 'migration'),
    ('OE 18.53', 0, '2020-05-11T00:00:00Z', 'migration'),
    ('OE 19', 0, '2020-05-11T00:00:00Z', 'migration'),
    ('OE 40.0', 0, '2020-05-11T00:00:00Z', 'migration'),
    ('OE 40.04', 2.5, '2020-05-11T00:00:00Z', 'migration'),
    ('OE 40.04 AM', 2, '2020-05-11T00:00:00Z', 'migration'),
    ('OE 40.23', 8, '2020-05-11T00:00:00Z', 'migration');
