-- The day a loan's programme term counts from (Loans/Loan.cs, TermStartedOn): the day lent, or for a loan continued at a new school after
-- a transfer the day the borrower first got the device, at the school where the loan began. Without it a transfer restarted the programme's limit, and
-- an extension at the new school went beyond it.
ALTER TABLE loans ADD COLUMN term_started_on date NULL;
UPDATE loans SET term_started_on = lent_on;
ALTER TABLE loans ALTER COLUMN term_started_on SET NOT NULL;
ALTER TABLE loans ADD CONSTRAINT ck_loans_term_started_on CHECK (term_started_on <= lent_on);
