-- The device inventory (Devices/, BoardSystems/) and the rooms Assets knows from Schools' events (Rooms/).
CREATE TABLE board_systems (
    id uuid NOT NULL,
    school_id uuid NOT NULL,
    room_id uuid NOT NULL,
    label text NULL,
    installed_on date NULL,
    dismantled_at timestamptz NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT pk_board_systems PRIMARY KEY (id)
);
CREATE INDEX ix_board_systems_school_id_room_id ON board_systems (school_id, room_id);

CREATE TABLE devices (
    id uuid NOT NULL,
    school_id uuid NOT NULL,
    serial_number text NOT NULL,
    status text NOT NULL,
    status_changed_at timestamptz NOT NULL,
    kind text NOT NULL,
    manufacturer text NOT NULL,
    model text NOT NULL,
    room_id uuid NULL,
    mdm_state text NOT NULL,
    mdm_enrolled_on date NULL,
    purchase_date date NULL,
    purchase_price numeric(12,2) NULL,
    warranty_end date NULL,
    funding_source text NULL,
    useful_life_months integer NULL,
    ownership text NULL,
    pupil_reference text NULL,
    subsidy_category text NULL,
    family_reference text NULL,
    sibling_order integer NULL,
    contract_monthly_rate numeric(8,2) NULL,
    contract_months integer NULL,
    contract_provider text NULL,
    board_system_id uuid NULL,
    component_kind text NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT pk_devices PRIMARY KEY (id),
    CONSTRAINT fk_devices_board_systems_board_system_id FOREIGN KEY (board_system_id) REFERENCES board_systems (id) ON DELETE RESTRICT,
    -- The domain types guard these too; the database refuses what slips past them.
    CONSTRAINT ck_devices_serial_number CHECK (serial_number = upper(btrim(serial_number)) AND serial_number <> ''),
    CONSTRAINT ck_devices_tablet_ownership CHECK ((kind = 'Tablet') = (ownership IS NOT NULL)),
    CONSTRAINT ck_devices_component CHECK ((kind = 'BoardSystemComponent') = (component_kind IS NOT NULL)),
    CONSTRAINT ck_devices_pupil_only_parent_financed CHECK (ownership = 'ParentFinancedPupil' OR (pupil_reference IS NULL AND subsidy_category IS NULL)),
    CONSTRAINT ck_devices_money CHECK (purchase_price >= 0 AND contract_monthly_rate >= 0)
);
-- Serial numbers are unique across all schools (normalised: trimmed, upper case).
CREATE UNIQUE INDEX ix_devices_serial_number ON devices (serial_number);
-- One school's devices, sorted by serial (the default list order) or by creation, filtered by kind and status.
CREATE INDEX ix_devices_school_id_serial_number ON devices (school_id, serial_number);
CREATE INDEX ix_devices_school_id_kind_status ON devices (school_id, kind, status);
CREATE INDEX ix_devices_school_id_created_at ON devices (school_id, created_at);
CREATE INDEX ix_devices_room_id ON devices (room_id);
-- A board system has at most one component of each kind.
CREATE UNIQUE INDEX ix_devices_board_system_id_component_kind ON devices (board_system_id, component_kind) WHERE board_system_id IS NOT NULL;

CREATE TABLE device_history (
    id bigint GENERATED ALWAYS AS IDENTITY,
    device_id uuid NOT NULL,
    at timestamptz NOT NULL,
    actor text NOT NULL,
    change text NOT NULL,
    from_status text NULL,
    to_status text NULL,
    from_school_id uuid NULL,
    to_school_id uuid NULL,
    from_room_id uuid NULL,
    to_room_id uuid NULL,
    note text NULL,
    CONSTRAINT pk_device_history PRIMARY KEY (id),
    CONSTRAINT fk_device_history_devices_device_id FOREIGN KEY (device_id) REFERENCES devices (id) ON DELETE CASCADE
);
CREATE INDEX ix_device_history_device_id_id ON device_history (device_id, id);

CREATE TABLE known_rooms (
    room_id uuid NOT NULL,
    school_id uuid NOT NULL,
    building_id uuid NOT NULL,
    building_name text NOT NULL,
    number text NOT NULL,
    kind text NOT NULL,
    as_of timestamptz NOT NULL,
    CONSTRAINT pk_known_rooms PRIMARY KEY (room_id)
);
CREATE INDEX ix_known_rooms_school_id ON known_rooms (school_id);
