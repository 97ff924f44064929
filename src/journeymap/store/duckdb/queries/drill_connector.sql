-- Drill-down of a connector's contacts, over the cohort: the members with an rs_link row for
-- $connector_id, as report_connectors.sql counts them. at: their first move along it (from the
-- transitions); value: how many times they moved along it.
WITH c AS (
    SELECT mk, contact_id FROM rs_cohort($map_id, $from, $to, $last_touch, $utm_source, $utm_medium, $utm_campaign, $utm_content, $utm_term)
),
linked AS (
    SELECT l.mk, c.contact_id, l.moves
    FROM rs_link l JOIN c USING (mk)
    WHERE l.ck = rs_key_of($map_id, 'connector', $connector_id)
),
moved AS (
    SELECT t.contact_id, min(t.occurred_at) AS at
    FROM transitions t
    WHERE t.map_id = $map_id AND t.connector_id = $connector_id
      AND t.contact_id IN (SELECT contact_id FROM linked)
    GROUP BY t.contact_id
),
hit AS (
    SELECT l.mk, d.at, l.moves AS value
    FROM linked l LEFT JOIN moved d USING (contact_id)
)
SELECT m.contact_id, k.created_at,
       m.first_utm_source, m.first_utm_medium, m.first_utm_campaign, m.first_utm_content,
       m.first_utm_term,
       h.at, h.value, count(*) OVER () AS total
FROM hit h
JOIN rs_member m USING (mk)
LEFT JOIN contacts k ON k.contact_id = m.contact_id
ORDER BY h.at NULLS LAST, m.contact_id
LIMIT $limit OFFSET $offset
