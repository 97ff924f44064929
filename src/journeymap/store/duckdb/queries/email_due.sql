-- What the email worker sends for the deliveries $ids: the message and the contact's fields.
SELECT o.message_id AS delivery_id, o.message_id, o.kind, o.to_address, o.subject, o.html,
       o.text, o.unsubscribe_url, c.fields AS contact_fields
FROM email_outbox o
LEFT JOIN contacts c ON c.contact_id = o.contact_id
WHERE list_contains($ids::VARCHAR[], o.message_id)
