-- Drill-down of email stats on send-email element $element_id, over the cohort: the rs_email
-- rows report_email.sql adds up, with $event ('sent', 'opened', 'clicked', 'unsubscribed')
-- more than zero. at: first such event (from the email events); value: how many there were.
WITH c AS (
    SELECT mk, contact_id FROM rs_cohort($map_id, $from, $to, $last_touch, $utm_source, $utm_medium, $utm_campaign, $utm_content, $utm_term)
),
counted AS (
    SELECT e.mk, c.contact_id,
           CASE $event
               WHEN 'sent' THEN e.sent
               WHEN 'opened' THEN e.opened
               WHEN 'clicked' THEN e.clicked
               WHEN 'unsubscribed' THEN e.unsubscribed
           END AS value
    FROM rs_email e JOIN c USING (mk)
    WHERE e.ek = rs_key_of($map_id, 'element', $element_id)
),
firsts AS (
    SELECT x.contact_id, min(x.occurred_at) AS at
    FROM email_events x
    WHERE x.map_id = $map_id AND x.element_id = $element_id AND x.event = $event
      AND x.contact_id IN (SELECT contact_id FROM counted WHERE value > 0)
    GROUP BY x.contact_id
),
hit AS (
    SELECT n.mk, f.at, n.value
    FROM counted n LEFT JOIN firsts f USING (contact_id)
    WHERE n.value > 0
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
