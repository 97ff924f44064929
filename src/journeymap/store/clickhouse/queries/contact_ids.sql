SELECT DISTINCT contact_id FROM contacts
