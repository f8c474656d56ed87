-- Earlier checksum (comments reworded): AC3AC7AA15B4FFB960AC5D248C99E53A66DE8993A72164C8B5A38AB309E352A4
-- Rollout to the MEP standard per school, building and room, milestones, and the board systems Assets reports.
-- Names and types must agree with Data/SchoolsDbContext.cs (SchemaAgreementTests checks it).

CREATE TABLE school_rollouts (
    school_id uuid NOT NULL,
    broadband_kind text NULL,
    broadband_status text NOT NULL,
    bandwidth_mbits integer NULL,
    broadband_provider text NULL,
    broadband_monthly_cost numeric(12,2) NULL,
    broadband_connection_cost numeric(12,2) NULL,
    backbone_node text NULL,
    status text NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT pk_school_rollouts PRIMARY KEY (school_id),
    CONSTRAINT fk_school_rollouts_schools_school_id FOREIGN KEY (school_id) REFERENCES schools (id) ON DELETE CASCADE,
    CONSTRAINT ck_school_rollouts_amounts CHECK (bandwidth_mbits > 0 AND broadband_monthly_cost >= 0 AND broadband_connection_cost >= 0)
);
CREATE INDEX ix_school_rollouts_status ON school_rollouts (status);

CREATE TABLE building_rollouts (
    building_id uuid NOT NULL,
    school_id uuid NOT NULL,
    technical_rooms text NOT NULL,
    distributors text NOT NULL,
    cabling text NOT NULL,
    cabling_metres integer NULL,
    network_done_on date NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT pk_building_rollouts PRIMARY KEY (building_id),
    CONSTRAINT fk_building_rollouts_buildings_building_id FOREIGN KEY (building_id) REFERENCES buildings (id) ON DELETE CASCADE,
    CONSTRAINT ck_building_rollouts_metres CHECK (cabling_metres >= 0)
);
CREATE INDEX ix_building_rollouts_school_id ON building_rollouts (school_id);

CREATE TABLE room_rollouts (
    room_id uuid NOT NULL,
    school_id uuid NOT NULL,
    wlan text NOT NULL,
    access_points_planned integer NOT NULL,
    access_points_installed integer NOT NULL,
    board_system_planned boolean NOT NULL,
    computer_room_replacement text NOT NULL,
    done_on date NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT pk_room_rollouts PRIMARY KEY (room_id),
    CONSTRAINT fk_room_rollouts_rooms_room_id FOREIGN KEY (room_id) REFERENCES rooms (id) ON DELETE CASCADE,
    CONSTRAINT ck_room_rollouts_access_points CHECK (access_points_planned >= 0 AND access_points_installed >= 0)
);
CREATE INDEX ix_room_rollouts_school_id ON room_rollouts (school_id);

CREATE TABLE rollout_milestones (
    school_id uuid NOT NULL,
    milestone text NOT NULL,
    planned_on date NULL,
    reached_on date NULL,
    CONSTRAINT pk_rollout_milestones PRIMARY KEY (school_id, milestone),
    CONSTRAINT fk_rollout_milestones_schools_school_id FOREIGN KEY (school_id) REFERENCES schools (id) ON DELETE CASCADE
);
-- Late milestones: planned before today and not reached.
CREATE INDEX ix_rollout_milestones_planned_on ON rollout_milestones (planned_on);

CREATE TABLE installed_board_systems (
    board_system_id uuid NOT NULL,
    school_id uuid NOT NULL,
    room_id uuid NOT NULL,
    dismantled boolean NOT NULL,
    as_of timestamptz NOT NULL,
    CONSTRAINT pk_installed_board_systems PRIMARY KEY (board_system_id)
);
CREATE INDEX ix_installed_board_systems_school_id ON installed_board_systems (school_id);
CREATE INDEX ix_installed_board_systems_room_id ON installed_board_systems (room_id);

CREATE TABLE board_components (
    device_id uuid NOT NULL,
    board_system_id uuid NULL,
    kind text NULL,
    serial_number text NULL,
    retired boolean NOT NULL,
    as_of timestamptz NOT NULL,
    CONSTRAINT pk_board_components PRIMARY KEY (device_id)
);
CREATE INDEX ix_board_components_board_system_id ON board_components (board_system_id);

-- Every school, building and room that exists gets its rollout part with the MEP standard's defaults: what the
-- application creates with each new one (SchoolRollout.Start, BuildingRollout.Start, RoomRollout.Start). Nothing is
-- built yet, so the derived status is Accepted for a school that already joined, Planned for one in the plan.
INSERT INTO school_rollouts (school_id, broadband_status, status, updated_at)
SELECT id, 'NotPlanned',
       CASE mep_standard WHEN 'Joined' THEN 'Accepted' WHEN 'Planned' THEN 'Planned' ELSE 'NotInPlan' END, now()
FROM schools;

INSERT INTO building_rollouts (building_id, school_id, technical_rooms, distributors, cabling, updated_at)
SELECT id, school_id, 'NotStarted', 'NotStarted', 'NotStarted', now() FROM buildings;

INSERT INTO room_rollouts (room_id, school_id, wlan, access_points_planned, access_points_installed, board_system_planned,
                           computer_room_replacement, updated_at)
SELECT id, school_id, 'Planned', 0, 0, kind = 'Classroom', 'NotStarted', now() FROM rooms;

INSERT INTO rollout_milestones (school_id, milestone, planned_on, reached_on)
SELECT s.id, m.milestone, NULL, CASE WHEN m.milestone = 'Accepted' THEN s.mep_standard_joined_on END
FROM schools s CROSS JOIN (VALUES ('Surveyed'), ('BuildingWork'), ('Equipped'), ('Accepted')) AS m (milestone);
