-- The Support service: tickets and their audit trail (Tickets/), routing (Routing/), SLA calendars, policies and
-- timers (Sla/), knowledge base (Knowledge/), contractor hours (Contractor/), and what it knows of other services'
-- data from their events (Directory/).

-- Groups that hold tickets, one level each; vendors and the contractor are level 3. Members are the staff subjects a
-- vendor token carries: a vendor sees the tickets of its groups and nothing else.
CREATE TABLE support_groups (
    code text NOT NULL,
    name text NOT NULL,
    level integer NOT NULL CHECK (level BETWEEN 0 AND 3),
    kind text NOT NULL,
    escalates_to text NULL,
    CONSTRAINT pk_support_groups PRIMARY KEY (code),
    CONSTRAINT fk_support_groups_support_groups_escalates_to FOREIGN KEY (escalates_to) REFERENCES support_groups (code)
);
CREATE INDEX ix_support_groups_escalates_to ON support_groups (escalates_to);

CREATE TABLE group_members (
    group_code text NOT NULL,
    subject text NOT NULL,
    CONSTRAINT pk_group_members PRIMARY KEY (group_code, subject),
    CONSTRAINT fk_group_members_support_groups_group_code FOREIGN KEY (group_code) REFERENCES support_groups (code) ON DELETE CASCADE
);
CREATE INDEX ix_group_members_subject ON group_members (subject);

-- What level 1 needs to know per category (qualified reporting).
CREATE TABLE ticket_categories (
    code text NOT NULL,
    name text NOT NULL,
    requires_device boolean NOT NULL,
    requires_room boolean NOT NULL,
    CONSTRAINT pk_ticket_categories PRIMARY KEY (code)
);

-- Routing rules, versioned as a whole: every change by an admin is a new version; a ticket keeps the version it was routed by.
CREATE TABLE routing_rule_sets (
    version integer NOT NULL,
    created_at timestamptz NOT NULL,
    created_by text NOT NULL,
    note text NULL,
    CONSTRAINT pk_routing_rule_sets PRIMARY KEY (version)
);

CREATE TABLE routing_rules (
    version integer NOT NULL,
    position integer NOT NULL,
    category text NULL,
    ownership text NULL,
    school_at_mep_standard boolean NULL,
    on_site boolean NULL,
    level integer NOT NULL CHECK (level BETWEEN 1 AND 3),
    group_code text NOT NULL,
    CONSTRAINT pk_routing_rules PRIMARY KEY (version, position),
    CONSTRAINT fk_routing_rules_routing_rule_sets_version FOREIGN KEY (version) REFERENCES routing_rule_sets (version) ON DELETE CASCADE,
    CONSTRAINT fk_routing_rules_support_groups_group_code FOREIGN KEY (group_code) REFERENCES support_groups (code)
);
CREATE INDEX ix_routing_rules_group_code ON routing_rules (group_code);

CREATE TABLE tickets (
    id uuid NOT NULL,
    number bigint GENERATED ALWAYS AS IDENTITY,
    school_id uuid NOT NULL,
    reporter_name text NOT NULL,
    reporter_email text NOT NULL,
    reporter_phone text NULL,
    category text NOT NULL,
    device_serial text NULL,
    device_id uuid NULL,
    room_id uuid NULL,
    title text NOT NULL,
    description text NOT NULL,
    impact text NOT NULL,
    urgency text NOT NULL,
    priority text NOT NULL,
    needs_on_site boolean NOT NULL,
    status text NOT NULL,
    level integer NOT NULL CHECK (level BETWEEN 0 AND 3),
    group_code text NOT NULL,
    assignee text NULL,
    routing_version integer NULL,
    solved_by_school boolean NOT NULL,
    merged_into_id uuid NULL,
    parent_id uuid NULL,
    escalated boolean NOT NULL,
    waited_on_school boolean NOT NULL,
    reopen_count integer NOT NULL,
    first_contact_resolution boolean NULL,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    first_responded_at timestamptz NULL,
    resolved_at timestamptz NULL,
    closed_at timestamptz NULL,
    CONSTRAINT pk_tickets PRIMARY KEY (id),
    CONSTRAINT fk_tickets_support_groups_group_code FOREIGN KEY (group_code) REFERENCES support_groups (code),
    CONSTRAINT fk_tickets_tickets_merged_into_id FOREIGN KEY (merged_into_id) REFERENCES tickets (id),
    CONSTRAINT fk_tickets_tickets_parent_id FOREIGN KEY (parent_id) REFERENCES tickets (id)
);
CREATE UNIQUE INDEX ix_tickets_number ON tickets (number);
CREATE INDEX ix_tickets_school_id_created_at ON tickets (school_id, created_at);
CREATE INDEX ix_tickets_group_code_status ON tickets (group_code, status);
CREATE INDEX ix_tickets_created_at ON tickets (created_at);
CREATE INDEX ix_tickets_merged_into_id ON tickets (merged_into_id);
CREATE INDEX ix_tickets_parent_id ON tickets (parent_id);

CREATE TABLE ticket_history (
    id bigint GENERATED ALWAYS AS IDENTITY,
    ticket_id uuid NOT NULL,
    at timestamptz NOT NULL,
    actor text NOT NULL,
    change text NOT NULL,
    field text NULL,
    from_value text NULL,
    to_value text NULL,
    note text NULL,
    CONSTRAINT pk_ticket_history PRIMARY KEY (id),
    CONSTRAINT fk_ticket_history_tickets_ticket_id FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE
);
CREATE INDEX ix_ticket_history_ticket_id_id ON ticket_history (ticket_id, id);

CREATE TABLE ticket_comments (
    id uuid NOT NULL,
    ticket_id uuid NOT NULL,
    at timestamptz NOT NULL,
    author text NOT NULL,
    author_role text NOT NULL,
    internal boolean NOT NULL,
    body text NOT NULL,
    CONSTRAINT pk_ticket_comments PRIMARY KEY (id),
    CONSTRAINT fk_ticket_comments_tickets_ticket_id FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE
);
CREATE INDEX ix_ticket_comments_ticket_id_at ON ticket_comments (ticket_id, at);

-- Related tickets, stored in both directions so either side finds the other on its key.
CREATE TABLE ticket_links (
    ticket_id uuid NOT NULL,
    related_ticket_id uuid NOT NULL,
    created_at timestamptz NOT NULL,
    created_by text NOT NULL,
    CONSTRAINT pk_ticket_links PRIMARY KEY (ticket_id, related_ticket_id),
    CONSTRAINT fk_ticket_links_tickets_ticket_id FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE,
    CONSTRAINT fk_ticket_links_tickets_related_ticket_id FOREIGN KEY (related_ticket_id) REFERENCES tickets (id) ON DELETE CASCADE
);
CREATE INDEX ix_ticket_links_related_ticket_id ON ticket_links (related_ticket_id);

-- SLA: calendars (opening hours per weekday, Europe/Berlin), Lower Saxony school holidays, policies per priority and clock.
CREATE TABLE sla_calendars (
    code text NOT NULL,
    name text NOT NULL,
    CONSTRAINT pk_sla_calendars PRIMARY KEY (code)
);

CREATE TABLE sla_opening_hours (
    calendar_code text NOT NULL,
    day_of_week integer NOT NULL CHECK (day_of_week BETWEEN 0 AND 6),
    opens time NOT NULL,
    closes time NOT NULL,
    CONSTRAINT pk_sla_opening_hours PRIMARY KEY (calendar_code, day_of_week, opens),
    CONSTRAINT ck_sla_opening_hours_order CHECK (opens < closes),
    CONSTRAINT fk_sla_opening_hours_sla_calendars_calendar_code FOREIGN KEY (calendar_code) REFERENCES sla_calendars (code) ON DELETE CASCADE
);

CREATE TABLE school_holidays (
    id bigint GENERATED ALWAYS AS IDENTITY,
    name text NOT NULL,
    first_day date NOT NULL,
    last_day date NOT NULL,
    CONSTRAINT pk_school_holidays PRIMARY KEY (id),
    CONSTRAINT ck_school_holidays_order CHECK (first_day <= last_day)
);
CREATE INDEX ix_school_holidays_first_day ON school_holidays (first_day);

CREATE TABLE sla_policies (
    priority text NOT NULL,
    clock text NOT NULL,
    first_response_minutes integer NULL CHECK (first_response_minutes > 0),
    resolution_minutes integer NOT NULL CHECK (resolution_minutes > 0),
    runs_in_school_holidays boolean NOT NULL,
    auto_escalate boolean NOT NULL,
    calendar_code text NOT NULL,
    CONSTRAINT pk_sla_policies PRIMARY KEY (priority, clock),
    CONSTRAINT fk_sla_policies_sla_calendars_calendar_code FOREIGN KEY (calendar_code) REFERENCES sla_calendars (code)
);
CREATE INDEX ix_sla_policies_calendar_code ON sla_policies (calendar_code);

-- A ticket's clock as segments: each runs at one level, or is paused (waiting for the school); none while resolved.
CREATE TABLE ticket_clock_segments (
    ticket_id uuid NOT NULL,
    sequence integer NOT NULL,
    level integer NOT NULL,
    running boolean NOT NULL,
    started_at timestamptz NOT NULL,
    ended_at timestamptz NULL,
    CONSTRAINT pk_ticket_clock_segments PRIMARY KEY (ticket_id, sequence),
    CONSTRAINT fk_ticket_clock_segments_tickets_ticket_id FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE
);

-- One timer per ticket, clock (total, level1..3) and target (firstResponse, resolution), reassessed at every change of the
-- ticket; the escalation job only compares the stored instants with the time.
CREATE TABLE sla_timers (
    ticket_id uuid NOT NULL,
    clock text NOT NULL,
    target text NOT NULL,
    target_minutes integer NOT NULL,
    elapsed_minutes numeric(10,2) NOT NULL,
    calendar_code text NOT NULL,
    runs_in_school_holidays boolean NOT NULL,
    auto_escalate boolean NOT NULL,
    active boolean NOT NULL,
    warn_at timestamptz NULL,
    due_at timestamptz NULL,
    met_at timestamptz NULL,
    warned_at timestamptz NULL,
    breached_at timestamptz NULL,
    CONSTRAINT pk_sla_timers PRIMARY KEY (ticket_id, clock, target),
    CONSTRAINT fk_sla_timers_tickets_ticket_id FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE
);
CREATE INDEX ix_sla_timers_warn_at ON sla_timers (warn_at) WHERE active AND warned_at IS NULL;
CREATE INDEX ix_sla_timers_due_at ON sla_timers (due_at) WHERE active AND breached_at IS NULL;

-- What a group is told (email is out of scope: a record and an event). Unique per ticket, clock, target and kind, so a
-- threshold is announced once whatever runs the job.
CREATE TABLE notifications (
    id bigint GENERATED ALWAYS AS IDENTITY,
    ticket_id uuid NOT NULL,
    group_code text NOT NULL,
    kind text NOT NULL,
    clock text NOT NULL,
    target text NOT NULL,
    message text NOT NULL,
    created_at timestamptz NOT NULL,
    CONSTRAINT pk_notifications PRIMARY KEY (id),
    CONSTRAINT fk_notifications_tickets_ticket_id FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX ix_notifications_ticket_id_clock_target_kind ON notifications (ticket_id, clock, target, kind);
CREATE INDEX ix_notifications_group_code_created_at ON notifications (group_code, created_at);

-- Knowledge base, searched with PostgreSQL's German full-text configuration.
CREATE TABLE knowledge_articles (
    id uuid NOT NULL,
    title text NOT NULL,
    body text NOT NULL,
    category text NULL,
    author text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    search_vector tsvector NOT NULL GENERATED ALWAYS AS (to_tsvector('german', title || ' ' || body)) STORED,
    CONSTRAINT pk_knowledge_articles PRIMARY KEY (id)
);
CREATE INDEX ix_knowledge_articles_search_vector ON knowledge_articles USING gin (search_vector);
CREATE INDEX ix_knowledge_articles_category ON knowledge_articles (category);

CREATE TABLE ticket_articles (
    ticket_id uuid NOT NULL,
    article_id uuid NOT NULL,
    linked_at timestamptz NOT NULL,
    linked_by text NOT NULL,
    CONSTRAINT pk_ticket_articles PRIMARY KEY (ticket_id, article_id),
    CONSTRAINT fk_ticket_articles_tickets_ticket_id FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE,
    CONSTRAINT fk_ticket_articles_knowledge_articles_article_id FOREIGN KEY (article_id) REFERENCES knowledge_articles (id) ON DELETE CASCADE
);
CREATE INDEX ix_ticket_articles_article_id ON ticket_articles (article_id);

-- Contractor (CSS) hours against each school's system-support budget per calendar year.
CREATE TABLE contractor_rates (
    valid_from date NOT NULL,
    hourly_rate numeric(8,2) NOT NULL CHECK (hourly_rate > 0),
    CONSTRAINT pk_contractor_rates PRIMARY KEY (valid_from)
);

CREATE TABLE system_support_budgets (
    school_id uuid NOT NULL,
    year integer NOT NULL,
    amount numeric(12,2) NOT NULL CHECK (amount >= 0),
    updated_at timestamptz NOT NULL,
    updated_by text NOT NULL,
    CONSTRAINT pk_system_support_budgets PRIMARY KEY (school_id, year)
);

CREATE TABLE contractor_bookings (
    id uuid NOT NULL,
    ticket_id uuid NOT NULL,
    school_id uuid NOT NULL,
    worked_on date NOT NULL,
    budget_year integer NOT NULL,
    hours numeric(5,2) NOT NULL CHECK (hours > 0),
    hourly_rate numeric(8,2) NOT NULL,
    amount numeric(12,2) NOT NULL,
    description text NOT NULL,
    booked_by text NOT NULL,
    booked_at timestamptz NOT NULL,
    CONSTRAINT pk_contractor_bookings PRIMARY KEY (id),
    CONSTRAINT fk_contractor_bookings_tickets_ticket_id FOREIGN KEY (ticket_id) REFERENCES tickets (id)
);
CREATE INDEX ix_contractor_bookings_school_id_budget_year ON contractor_bookings (school_id, budget_year);
CREATE INDEX ix_contractor_bookings_ticket_id ON contractor_bookings (ticket_id);

-- Devices and rooms as Support knows them from Assets' and Schools' events.
CREATE TABLE known_devices (
    device_id uuid NOT NULL,
    school_id uuid NOT NULL,
    serial_number text NOT NULL,
    kind text NOT NULL,
    ownership text NULL,
    retired boolean NOT NULL,
    as_of timestamptz NOT NULL,
    CONSTRAINT pk_known_devices PRIMARY KEY (device_id)
);
CREATE INDEX ix_known_devices_school_id_serial_number ON known_devices (school_id, serial_number);

CREATE TABLE known_rooms (
    room_id uuid NOT NULL,
    school_id uuid NOT NULL,
    building_name text NOT NULL,
    number text NOT NULL,
    as_of timestamptz NOT NULL,
    CONSTRAINT pk_known_rooms PRIMARY KEY (room_id)
);
CREATE INDEX ix_known_rooms_school_id ON known_rooms (school_id);

-- The council paper's support model as starting data; admins change it through the API.
INSERT INTO support_groups (code, name, level, kind, escalates_to) VALUES
    ('it-department', 'IT department (network, Active Directory, MDM)', 2, 'internal', NULL),
    ('service-desk', 'Service desk (Fachbereich Schule)', 1, 'internal', 'it-department'),
    ('school', 'The school itself', 0, 'school', NULL),
    ('tablet-provider', 'Tablet provider under the parents'' contract', 3, 'vendor', NULL),
    ('software-vendor', 'Software vendor (licence contract)', 3, 'vendor', NULL),
    ('manufacturer', 'Manufacturer (warranty)', 3, 'vendor', NULL),
    ('css', 'CSS gGmbH (on-site support for schools not yet at MEP standard)', 3, 'contractor', NULL);

INSERT INTO ticket_categories (code, name, requires_device, requires_room) VALUES
    ('portal', 'School portal', false, false),
    ('accounts', 'Accounts (UCS@school)', false, false),
    ('mail', 'E-mail', false, false),
    ('network', 'Network', false, true),
    ('wlan', 'WLAN', false, true),
    ('broadband', 'Broadband connection', false, false),
    ('active-directory', 'Active Directory', false, false),
    ('mdm', 'MDM infrastructure', false, false),
    ('device-hardware', 'Device fault (tablet, computer)', true, false),
    ('board-system', 'Interactive board system fault', false, true),
    ('licensed-software', 'Licensed software', false, false),
    ('printer', 'Printer', false, true),
    ('other', 'Other', false, false);

INSERT INTO routing_rule_sets (version, created_at, created_by, note) VALUES
    (1, now(), 'migration', 'Defaults from the council paper (Drucksache 1000/2020), support model');
INSERT INTO routing_rules (version, position, category, ownership, school_at_mep_standard, on_site, level, group_code) VALUES
    (1, 1, 'device-hardware', 'ParentFinancedPupil', NULL, NULL, 3, 'tablet-provider'),
    (1, 2, 'licensed-software', NULL, NULL, NULL, 3, 'software-vendor'),
    (1, 3, NULL, NULL, false, true, 3, 'css'),
    (1, 4, 'portal', NULL, NULL, NULL, 1, 'service-desk'),
    (1, 5, 'accounts', NULL, NULL, NULL, 1, 'service-desk'),
    (1, 6, 'mail', NULL, NULL, NULL, 1, 'service-desk'),
    (1, 7, 'network', NULL, NULL, NULL, 2, 'it-department'),
    (1, 8, 'wlan', NULL, NULL, NULL, 2, 'it-department'),
    (1, 9, 'broadband', NULL, NULL, NULL, 2, 'it-department'),
    (1, 10, 'active-directory', NULL, NULL, NULL, 2, 'it-department'),
    (1, 11, 'mdm', NULL, NULL, NULL, 2, 'it-department'),
    (1, 12, NULL, NULL, NULL, NULL, 1, 'service-desk');

INSERT INTO sla_calendars (code, name) VALUES ('office-hours', 'Service desk office hours');
INSERT INTO sla_opening_hours (calendar_code, day_of_week, opens, closes) VALUES
    ('office-hours', 1, '07:30', '16:00'), ('office-hours', 2, '07:30', '16:00'), ('office-hours', 3, '07:30', '16:00'),
    ('office-hours', 4, '07:30', '16:00'), ('office-hours', 5, '07:30', '16:00');

-- Lower Saxony school holidays as published by the Kultusministerium (first and last day of each period).
INSERT INTO school_holidays (name, first_day, last_day) VALUES
    ('Herbstferien 2025', '2025-10-13', '2025-10-24'),
    ('Weihnachtsferien 2025/26', '2025-12-22', '2026-01-05'),
    ('Halbjahresferien 2026', '2026-02-02', '2026-02-03'),
    ('Osterferien 2026', '2026-03-23', '2026-04-07'),
    ('Tag nach Himmelfahrt 2026', '2026-05-15', '2026-05-15'),
    ('Pfingstferien 2026', '2026-05-26', '2026-05-26'),
    ('Sommerferien 2026', '2026-07-02', '2026-08-12'),
    ('Herbstferien 2026', '2026-10-12', '2026-10-24'),
    ('Weihnachtsferien 2026/27', '2026-12-23', '2027-01-09');

-- Targets in business minutes. The total clock runs from opening to resolution across levels; each level's clock only
-- while the ticket is at that level. A level-1 breach of P1/P2 moves the ticket up on its own.
INSERT INTO sla_policies (priority, clock, first_response_minutes, resolution_minutes, runs_in_school_holidays, auto_escalate, calendar_code) VALUES
    ('P1', 'total', 60, 480, true, false, 'office-hours'),
    ('P2', 'total', 120, 960, true, false, 'office-hours'),
    ('P3', 'total', 240, 2400, true, false, 'office-hours'),
    ('P4', 'total', 480, 4800, false, false, 'office-hours'),
    ('P1', 'level1', 30, 240, true, true, 'office-hours'),
    ('P2', 'level1', 60, 480, true, true, 'office-hours'),
    ('P3', 'level1', 120, 960, true, false, 'office-hours'),
    ('P4', 'level1', 240, 2400, false, false, 'office-hours'),
    ('P1', 'level2', 60, 480, true, false, 'office-hours'),
    ('P2', 'level2', 120, 960, true, false, 'office-hours'),
    ('P3', 'level2', 240, 1440, true, false, 'office-hours'),
    ('P4', 'level2', 480, 2400, false, false, 'office-hours'),
    ('P1', 'level3', 240, 1440, true, false, 'office-hours'),
    ('P2', 'level3', 480, 2400, true, false, 'office-hours'),
    ('P3', 'level3', 960, 4800, false, false, 'office-hours'),
    ('P4', 'level3', 960, 7200, false, false, 'office-hours');

INSERT INTO contractor_rates (valid_from, hourly_rate) VALUES ('2019-01-01', 60.00);
