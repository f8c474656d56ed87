-- The groups' and categories' names as German readers know them, for mails to staff and schools (the names above are English).
-- A group or category added later without one reads by its name.
ALTER TABLE support_groups ADD COLUMN german_name text NULL;
ALTER TABLE ticket_categories ADD COLUMN german_name text NULL;

UPDATE support_groups SET german_name = names.german_name
FROM (VALUES
    ('service-desk', 'Service-Desk (Fachbereich Schule)'),
    ('it-department', 'IT-Abteilung'),
    ('school', 'die Schule selbst'),
    ('tablet-provider', 'Tablet-Anbieter (Elternvertrag)'),
    ('software-vendor', 'Softwarehersteller (Lizenzvertrag)'),
    ('manufacturer', 'Hersteller (Gewährleistung)'),
    ('css', 'CSS gGmbH (Vor-Ort-Support)')
) AS names (code, german_name)
WHERE support_groups.code = names.code;

UPDATE ticket_categories SET german_name = names.german_name
FROM (VALUES
    ('portal', 'Schulportal'),
    ('accounts', 'Benutzerkonten (UCS@school)'),
    ('mail', 'E-Mail'),
    ('network', 'Netzwerk'),
    ('wlan', 'WLAN'),
    ('broadband', 'Breitbandanschluss'),
    ('active-directory', 'Active Directory'),
    ('mdm', 'MDM-Infrastruktur'),
    ('device-hardware', 'Gerätestörung (Tablet, Computer)'),
    ('board-system', 'Interaktives Tafelsystem'),
    ('licensed-software', 'Lizenzsoftware'),
    ('printer', 'Drucker'),
    ('other', 'Sonstiges')
) AS names (code, german_name)
WHERE ticket_categories.code = names.code;
