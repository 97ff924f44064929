SELECT * FROM contacts FINAL WHERE contact_id = {contact_id:String}
