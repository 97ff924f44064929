-- Drill-down of the cohort itself: members who entered the map in the date range with the
-- UTM as filtered (report_cohort_size.sql). at: first entry into the map; value: none.
WITH hit AS (
    SELECT c.mk, m.cohort_at AS at, NULL::BIGINT AS value
    FROM rs_cohort($map_id, $from, $to, $last_touch, $utm_source, $utm_medium, $utm_campaign, $utm_content, $utm_term) c
    JOIN rs_member m USING (mk)
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
