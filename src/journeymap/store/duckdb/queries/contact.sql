SELECT * FROM contacts WHERE contact_id = $contact_id
