-- Jobs run on Hangfire (its own schema "hangfire", installed by Jobs/RecurringJobDeclarer); Quartz's tables go.
DROP TABLE IF EXISTS qrtz_fired_triggers, qrtz_paused_trigger_grps, qrtz_scheduler_state, qrtz_locks, qrtz_simple_triggers,
    qrtz_simprop_triggers, qrtz_cron_triggers, qrtz_blob_triggers, qrtz_triggers, qrtz_job_details, qrtz_calendars CASCADE;

-- Data Protection's key ring (Jobs/JobDashboard.cs): the replicas of a service share it, so a dashboard session cookie
-- issued by one is accepted by all.
CREATE TABLE data_protection_keys (
    id bigint GENERATED ALWAYS AS IDENTITY,
    friendly_name text NULL,
    xml text NOT NULL,
    CONSTRAINT pk_data_protection_keys PRIMARY KEY (id)
);
