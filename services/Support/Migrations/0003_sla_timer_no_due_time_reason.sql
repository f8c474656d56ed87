-- Issue 23, defect 2: a clock whose calendar cannot give a due time (never open, holidays for years) is stored without one, with
-- the reason, instead of failing the ticket's write.
ALTER TABLE sla_timers ADD COLUMN no_due_time_reason text NULL;
