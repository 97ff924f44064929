-- Per connector, over the cohort: distinct contacts who moved along it.
SELECT l.connector_id, count(*) AS contacts
FROM rs_link l
JOIN rs_cohort($map_id, $from, $to, $last_touch, $utm_source, $utm_medium, $utm_campaign, $utm_content, $utm_term) c USING (mk)
WHERE l.map_id = $map_id
GROUP BY l.connector_id
