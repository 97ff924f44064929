-- A contacts row for every contact the staged rows name (import_named) that the store does not
-- know yet, created when the file first shows it, with no UTM, tags or fields.
SELECT n.contact_id, min(n.seen_at) AS created_at,
       NULL::VARCHAR AS first_utm_source, NULL::VARCHAR AS first_utm_medium,
       NULL::VARCHAR AS first_utm_campaign, NULL::VARCHAR AS first_utm_content,
       NULL::VARCHAR AS first_utm_term,
       NULL::VARCHAR AS last_utm_source, NULL::VARCHAR AS last_utm_medium,
       NULL::VARCHAR AS last_utm_campaign, NULL::VARCHAR AS last_utm_content,
       NULL::VARCHAR AS last_utm_term,
       []::VARCHAR[] AS tags, '{}' AS fields
FROM import_named n
WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.contact_id = n.contact_id)
GROUP BY n.contact_id
ORDER BY n.contact_id
