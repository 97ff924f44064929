SELECT message_id, map_id, element_id, contact_id, links
FROM email_outbox
WHERE message_id = {message_id:String}
