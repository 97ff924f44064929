-- Drill-down of delivery figures on element $element_id, over the cohort: the rs_delivery rows
-- report_deliveries.sql adds up, with $state ('delivered', 'pending', 'failed') more than zero.
-- at: the first delivery (delivered), the first delivery still queued (pending) or the latest
-- failure of one still failed (failed); value: how many deliveries.
WITH c AS (
    SELECT mk, contact_id FROM rs_cohort($map_id, $from, $to, $last_touch, $utm_source, $utm_medium, $utm_campaign, $utm_content, $utm_term)
),
hit AS (
    SELECT d.mk, c.contact_id, d.last_failed_at,
           CASE $state
               WHEN 'delivered' THEN d.delivered
               WHEN 'failed' THEN d.failed
               ELSE d.queued - d.delivered - d.failed
           END AS value
    FROM rs_delivery d JOIN c USING (mk)
    WHERE d.ek = rs_key_of($map_id, 'element', $element_id)
      AND CASE $state
              WHEN 'delivered' THEN d.delivered
              WHEN 'failed' THEN d.failed
              ELSE d.queued - d.delivered - d.failed
          END > 0
),
firsts AS (
    SELECT contact_id, min(occurred_at) AS at
    FROM delivery_attempts
    WHERE $state = 'delivered' AND map_id = $map_id AND element_id = $element_id
      AND outcome = 'delivered' AND contact_id IN (SELECT contact_id FROM hit)
    GROUP BY contact_id
    UNION ALL
    SELECT contact_id, min(created_at)
    FROM delivery_queue
    WHERE $state = 'pending' AND map_id = $map_id AND element_id = $element_id
      AND contact_id IN (SELECT contact_id FROM hit)
    GROUP BY contact_id
)
SELECT m.contact_id, k.created_at,
       m.first_utm_source, m.first_utm_medium, m.first_utm_campaign, m.first_utm_content,
       m.first_utm_term,
       coalesce(f.at, CASE WHEN $state = 'failed' THEN h.last_failed_at END) AS at,
       h.value, count(*) OVER () AS total
FROM hit h
JOIN rs_member m USING (mk)
LEFT JOIN contacts k ON k.contact_id = m.contact_id
LEFT JOIN firsts f ON f.contact_id = h.contact_id
ORDER BY "at" NULLS LAST, m.contact_id
LIMIT $limit OFFSET $offset
