-- The people directory: staff are known by their token's subject, vendors' and contractors' people by their organisation.
-- Assignees and group members were free text; from here on they reference a person, and the database holds them to it.

CREATE TABLE organisations (
    code text NOT NULL,
    name text NOT NULL,
    kind text NOT NULL,
    CONSTRAINT pk_organisations PRIMARY KEY (code)
);

-- The contractor the routing rules already know (group css).
INSERT INTO organisations (code, name, kind) VALUES ('css', 'CSS gGmbH', 'Contractor');

CREATE TABLE people (
    subject text NOT NULL,
    display_name text NOT NULL,
    email text NULL,
    roles text[] NOT NULL,
    organisation_code text NULL,
    active boolean NOT NULL,
    claims_fingerprint text NULL,
    created_at timestamptz NOT NULL,
    created_by text NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text NOT NULL,
    deactivated_at timestamptz NULL,
    deactivated_by text NULL,
    CONSTRAINT pk_people PRIMARY KEY (subject),
    CONSTRAINT ck_people_deactivation CHECK (active = (deactivated_at IS NULL)),
    CONSTRAINT fk_people_organisations_organisation_code FOREIGN KEY (organisation_code) REFERENCES organisations (code)
);
CREATE INDEX ix_people_organisation_code ON people (organisation_code);

-- Who added whom to which group and who removed them, when: memberships decide what a vendor sees.
CREATE TABLE group_membership_changes (
    id bigint GENERATED ALWAYS AS IDENTITY,
    group_code text NOT NULL,
    subject text NOT NULL,
    change text NOT NULL,
    at timestamptz NOT NULL,
    actor text NOT NULL,
    reason text NULL,
    CONSTRAINT pk_group_membership_changes PRIMARY KEY (id),
    CONSTRAINT fk_group_membership_changes_support_groups_group_code FOREIGN KEY (group_code) REFERENCES support_groups (code),
    CONSTRAINT fk_group_membership_changes_people_subject FOREIGN KEY (subject) REFERENCES people (subject)
);
CREATE INDEX ix_group_membership_changes_group_code_id ON group_membership_changes (group_code, id);
CREATE INDEX ix_group_membership_changes_subject ON group_membership_changes (subject);

-- Existing members were added by an admin: they become active people (named by their subject until they sign in or an
-- admin names them), so vendors keep seeing their groups' tickets. A subject longer than a token's subject can be (255)
-- was never anyone's: that person is recorded inactive and the membership ends, both kept in the membership history.
INSERT INTO people (subject, display_name, roles, active, created_at, created_by, updated_at, updated_by, deactivated_at, deactivated_by)
SELECT DISTINCT subject, left(subject, 200), '{}'::text[], length(subject) <= 255, now(), 'migration 0005', now(), 'migration 0005',
    CASE WHEN length(subject) > 255 THEN now() END, CASE WHEN length(subject) > 255 THEN 'migration 0005' END
FROM group_members
ON CONFLICT (subject) DO NOTHING;

INSERT INTO group_membership_changes (group_code, subject, change, at, actor, reason)
SELECT group_code, subject, 'added', now(), 'migration 0005', 'member before the people directory'
FROM group_members;
INSERT INTO group_membership_changes (group_code, subject, change, at, actor, reason)
SELECT group_code, subject, 'removed', now(), 'migration 0005', 'not a subject a token can carry'
FROM group_members
WHERE length(subject) > 255;
DELETE FROM group_members WHERE length(subject) > 255;

-- Free-text assignees stay on their tickets, readable as before: each becomes a person recorded as inactive (nobody knows
-- whether the text names a real person), so it cannot be newly assigned until an admin checks it and reactivates it.
INSERT INTO people (subject, display_name, roles, active, created_at, created_by, updated_at, updated_by, deactivated_at, deactivated_by)
SELECT DISTINCT assignee, left(assignee, 200), '{}'::text[], false, now(), 'migration 0005', now(), 'migration 0005', now(), 'migration 0005'
FROM tickets
WHERE assignee IS NOT NULL
ON CONFLICT (subject) DO NOTHING;

ALTER TABLE group_members
    ADD CONSTRAINT fk_group_members_people_subject FOREIGN KEY (subject) REFERENCES people (subject);
ALTER TABLE tickets
    ADD CONSTRAINT fk_tickets_people_assignee FOREIGN KEY (assignee) REFERENCES people (subject);
CREATE INDEX ix_tickets_assignee ON tickets (assignee) WHERE assignee IS NOT NULL;
