-- Drill-down of here now, were here and visitors (visits) on element $element_id, over the
-- cohort: the same rs_visit rows and live test as report_elements.sql. $state is 'here_now',
-- 'were_here' or 'visitors'. at: arrival of the live position (here now) or first arrival;
-- value: arrivals, repeats included. Paged by $limit/$offset (NULL: all) in a stable order.
WITH c AS (
    SELECT mk FROM rs_cohort($map_id, $from, $to, $last_touch, $utm_source, $utm_medium, $utm_campaign, $utm_content, $utm_term)
),
visit AS (
    SELECT v.mk, v.first_at, v.visits, v.last_arrival_seq, v.live = 1 AS live
    FROM rs_visit v JOIN c USING (mk)
    WHERE v.ek = rs_key_of($map_id, 'element', $element_id) AND v.first_seq IS NOT NULL
),
hit AS (
    SELECT s.mk, CASE WHEN $state = 'here_now' THEN t.occurred_at ELSE s.first_at END AS at,
           s.visits AS value
    FROM visit s
    LEFT JOIN transitions t ON $state = 'here_now' AND t.seq = s.last_arrival_seq
    WHERE CASE $state WHEN 'here_now' THEN s.live WHEN 'were_here' THEN NOT s.live ELSE true END
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
