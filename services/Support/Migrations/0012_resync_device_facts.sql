-- Since 0011 Support's device replica keeps a device's make, warranty and purchase (a repair's payer and report need them), but the
-- rows it had before hold none of them. Ask Assets once for its whole inventory, as a replica rebuild does: its DeviceStatesRepublished
-- fill them in, applied only where not older than a row's state. A new installation knows no device yet and asks nothing.
WITH request AS (SELECT gen_random_uuid() AS id, now() AS at)
INSERT INTO outbox_messages (message_id, message_type, aggregate_id, body, created_at, attempts, next_attempt_at)
SELECT id, 'Mep.Contracts.Replication.ReplicaResyncRequested', 'replica-resync:' || id,
       jsonb_build_object('requestId', id, 'requestedBy', 'support',
                          'occurredAt', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text,
       at, 0, at
FROM request
WHERE EXISTS (SELECT 1 FROM known_devices);
