-- Per send-email element, over the cohort: emails sent, and distinct contacts who opened,
-- clicked and unsubscribed.
SELECT e.element_id,
       sum(e.sent) AS sent,
       count(*) FILTER (WHERE e.opened > 0) AS opened,
       count(*) FILTER (WHERE e.clicked > 0) AS clicked,
       count(*) FILTER (WHERE e.unsubscribed > 0) AS unsubscribed
FROM rs_email e
JOIN rs_cohort($map_id, $from, $to, $last_touch, $utm_source, $utm_medium, $utm_campaign, $utm_content, $utm_term) c USING (mk)
WHERE e.map_id = $map_id
GROUP BY e.element_id
