-- Per element, over the cohort: distinct visitors, those with a live position now, arrivals
-- (repeats included) and distinct contacts who left along any connector.
SELECT v.element_id,
       count(*) FILTER (WHERE v.first_seq IS NOT NULL) AS visitors,
       count(*) FILTER (
           WHERE v.first_seq IS NOT NULL
             AND v.last_arrival_seq > coalesce(v.last_departure_seq, -1)
       ) AS here_now,
       sum(v.visits) AS visits,
       count(*) FILTER (WHERE v.connector_departures > 0) AS left_by_connector
FROM rs_visit v
JOIN rs_cohort($map_id, $from, $to, $last_touch, $utm_source, $utm_medium, $utm_campaign, $utm_content, $utm_term) c USING (mk)
WHERE v.map_id = $map_id
GROUP BY v.element_id
