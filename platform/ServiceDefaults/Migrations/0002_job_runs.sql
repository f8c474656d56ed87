-- Last run of each scheduled job, for the operator view (Jobs/JobRunLog.cs writes it).
CREATE TABLE scheduled_job_runs (
    job_name text NOT NULL,
    last_started_at timestamptz NOT NULL,
    last_finished_at timestamptz NULL,
    last_succeeded boolean NULL,
    last_error text NULL,
    runs bigint NOT NULL,
    failures bigint NOT NULL,
    CONSTRAINT pk_scheduled_job_runs PRIMARY KEY (job_name)
);
