-- Only merged and outage tickets have a merged_into_id or parent_id, yet every new ticket added a NULL entry to
-- both indexes. Partial indexes hold the set ones only; a lookup by either column (= never matches NULL) still uses them.
DROP INDEX ix_tickets_merged_into_id;
CREATE INDEX ix_tickets_merged_into_id ON tickets (merged_into_id) WHERE merged_into_id IS NOT NULL;
DROP INDEX ix_tickets_parent_id;
CREATE INDEX ix_tickets_parent_id ON tickets (parent_id) WHERE parent_id IS NOT NULL;
