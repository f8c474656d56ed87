-- Ticket numbers are drawn by the service in blocks of 20 from a sequence (TicketNumbers), not by the insert: a new
-- ticket's number is known before it is written, so the ticket, its history, clocks, event and idempotent answer go to
-- the database in one round trip. Numbers stay unique; a replica's unused rest of a block leaves a gap.
ALTER TABLE tickets ALTER COLUMN number DROP IDENTITY;
CREATE SEQUENCE ticket_numbers INCREMENT BY 20 MINVALUE 1;
SELECT setval('ticket_numbers', COALESCE((SELECT max(number) FROM tickets), 0) + 1, false);
