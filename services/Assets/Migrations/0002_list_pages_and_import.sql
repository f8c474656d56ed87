-- Tuned with bench/AssetsBench (1,000,000 devices stored; 100,000 registered through the API in 5,000-row batches).

-- A page of one school's devices is found on an index alone: the school's index entries, in the list's sort order, carry the
-- columns the list filters on and the id. Skipping to page 80 then reads 4,000 index entries instead of 4,000 table rows, and
-- only the 50 devices shown are read from the table (DeviceListQuery.OnePageAsync); the total is counted on them too. These two
-- replace the narrower ones of 0001 (with (school_id, kind, status) kept, PostgreSQL chose it for filtered pages and sorted
-- thousands of table rows).
DROP INDEX ix_devices_school_id_serial_number;
DROP INDEX ix_devices_school_id_kind_status;
DROP INDEX ix_devices_school_id_created_at;
CREATE INDEX ix_devices_school_id_serial_number ON devices (school_id, serial_number)
    INCLUDE (id, kind, status, ownership, subsidy_category, mdm_state, funding_source);
CREATE INDEX ix_devices_school_id_created_at_id ON devices (school_id, created_at, id)
    INCLUDE (kind, status, ownership, subsidy_category, mdm_state, funding_source);

-- History lines are written only together with their device, in its transaction, and devices are never deleted (they are
-- retired), so the foreign key guarded nothing; checking it row by row was a third of the cost of a batch's history lines.
ALTER TABLE device_history DROP CONSTRAINT fk_device_history_devices_device_id;
