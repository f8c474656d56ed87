-- Every fire of the probe's test job, by scheduled time and scheduler instance (tests only).
CREATE TABLE job_fires (
    scheduled_at timestamptz NOT NULL,
    fired_by text NOT NULL,
    fired_at timestamptz NOT NULL
);
