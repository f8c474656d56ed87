-- People name schools by their number: lists filter by it (?schoolNumber=) and feeds by SchoolNumber, through the directory.
CREATE INDEX ix_known_schools_number ON known_schools (number);
