-- A school's contact mail address (its office or IT contact): Support mails the school there when its tickets are answered or
-- resolved. Optional: schools recorded before have none until a planner or admin sets it.
ALTER TABLE schools ADD COLUMN contact_email text NULL;
