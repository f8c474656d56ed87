-- The school's contact mail address, from Schools' SchoolRegistered/SchoolUpdated (null until Schools publishes one).
ALTER TABLE known_schools ADD COLUMN contact_email text NULL;
