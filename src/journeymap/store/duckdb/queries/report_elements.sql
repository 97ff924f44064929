-- Per element, over the cohort, in one pass over rs_visit: distinct visitors, those with a live
-- position now, arrivals (repeats included) and distinct contacts who left along any connector.
WITH s AS (
    SELECT ek, count(first_seq) AS visitors, sum(live) AS here_now, sum(visits) AS visits,
           count(*) FILTER (WHERE connector_departures > 0) AS left_by_connector
    FROM rs_visit_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                     $l1, $l2, $l3, $l4, $l5)
    GROUP BY ek
)
SELECT k.name AS element_id, s.visitors, s.here_now, s.visits, s.left_by_connector
FROM s JOIN rs_key k ON k.k = s.ek
