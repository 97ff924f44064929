-- What the email worker sends for the deliveries {ids}: the message and the contact's fields.
SELECT o.message_id AS delivery_id, o.message_id AS message_id, o.kind AS kind,
       o.to_address AS to_address, o.subject AS subject, o.html AS html, o.text AS text,
       o.unsubscribe_url AS unsubscribe_url, c.fields AS contact_fields
FROM email_outbox o
LEFT JOIN (SELECT contact_id, fields FROM contacts FINAL) c ON c.contact_id = o.contact_id
WHERE has({ids:Array(String)}, o.message_id)
SETTINGS join_use_nulls = 1
