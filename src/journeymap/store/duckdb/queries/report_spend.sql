-- Per element, over the cohort: net spend (all purchases, all time, refunds netted) of the
-- distinct contacts who visited it.
SELECT v.element_id, sum(c.net_spend) AS amount_spent
FROM rs_visit v
JOIN rs_cohort($map_id, $from, $to, $last_touch, $utm_source, $utm_medium, $utm_campaign, $utm_content, $utm_term) c USING (mk)
WHERE v.map_id = $map_id AND v.first_seq IS NOT NULL
GROUP BY v.element_id
