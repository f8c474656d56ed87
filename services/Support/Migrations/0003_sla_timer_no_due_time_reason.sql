-- Earlier checksum (comments reworded): 25E392D844CEC947EF505C489C38BD830544663B3E4D1BE8EC8910AE8089A4DB
-- A clock whose calendar cannot give a due time (never open, holidays for years) is stored without one, with
-- the reason, instead of failing the ticket's write.
ALTER TABLE sla_timers ADD COLUMN no_due_time_reason text NULL;
