-- The planners' work list of late milestones (GET /rollout/late-milestones): milestones not reached, read in the order of their
-- planned day (most days late first) from the index alone until the day before today; reached milestones, most of them once a
-- rollout runs, are not in it.
CREATE INDEX ix_rollout_milestones_planned_on_school_id ON rollout_milestones (planned_on, school_id) WHERE reached_on IS NULL;
