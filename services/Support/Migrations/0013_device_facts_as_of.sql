-- A device's facts (serial, kind, ownership, money, make) keep a time of their own, apart from its school and status (as_of). Before,
-- a status change or move that overtook the device's registration made the row newer than the registration, which was then dropped
-- whole: the device kept no serial (a ticket naming it was refused as an unknown device) and no make (a repair's payer had nothing).
-- A row that holds a serial got its facts at its state's time at the latest; a row without one never got them, so the next full event
-- brings them. The default only fills the rows that exist now: every insert from the service writes the column.
ALTER TABLE known_devices ADD COLUMN facts_as_of timestamptz NOT NULL DEFAULT '-infinity';
UPDATE known_devices SET facts_as_of = as_of WHERE serial_number <> '';
ALTER TABLE known_devices ALTER COLUMN facts_as_of DROP DEFAULT;

-- Rows the old code left without their registration are mended by Assets' whole inventory, as migration 0012 asks for it.
WITH request AS (SELECT gen_random_uuid() AS id, now() AS at)
INSERT INTO outbox_messages (message_id, message_type, aggregate_id, body, created_at, attempts, next_attempt_at)
SELECT id, 'Mep.Contracts.Replication.ReplicaResyncRequested', 'replica-resync:' || id,
       jsonb_build_object('requestId', id, 'requestedBy', 'support',
                          'occurredAt', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text,
       at, 0, at
FROM request
WHERE EXISTS (SELECT 1 FROM known_devices WHERE serial_number = '');
