-- Requests name a school by its number as well as by its id (SchoolByNumber). Not unique in a replica: while a renumbering's
-- events are on their way, two rows can carry one number for a moment.
CREATE INDEX ix_known_schools_number ON known_schools (number);
