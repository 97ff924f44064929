SELECT contact_id FROM contacts
