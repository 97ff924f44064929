-- Per element, over the cohort: distinct visitors, those with a live position now, arrivals
-- (repeats included) and distinct contacts who left along any connector. A first-touch cohort
-- takes the whole UTC days of its range from the flow rollup (rs_flow) and only the members
-- who entered on its edge days, before the first UTC midnight in it and from the last, from
-- rs_visit; a last-touch cohort takes every row of its members from rs_visit.
WITH v AS (
    SELECT * FROM rs_visit_of($last_touch, $mapk, $lo,
                              CASE WHEN $last_touch THEN $hi ELSE least(rs_whole_from($lo), $hi) END,
                              $c1, $c2, $c3, $c4, $c5, $l1, $l2, $l3, $l4, $l5)
    UNION ALL
    SELECT * FROM rs_visit_of(false, $mapk, rs_whole_to($lo, $hi), $hi,
                              $c1, $c2, $c3, $c4, $c5, NULL, NULL, NULL, NULL, NULL)
    WHERE NOT $last_touch
),
s AS (
    SELECT ek, count(first_seq) AS visitors, sum(live) AS here_now, sum(visits) AS visits,
           count(*) FILTER (WHERE connector_departures > 0) AS left_by_connector
    FROM v
    GROUP BY ek
    UNION ALL
    SELECT f.k, sum(f.visitors), sum(f.here_now), sum(f.visits), sum(f.left_by_connector)
    FROM rs_flow_of($mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5) f
    WHERE NOT $last_touch
    GROUP BY f.k
)
SELECT k.name AS element_id, sum(s.visitors)::BIGINT AS visitors,
       sum(s.here_now)::BIGINT AS here_now, sum(s.visits)::BIGINT AS visits,
       sum(s.left_by_connector)::BIGINT AS left_by_connector
FROM s JOIN rs_key k ON k.k = s.ek AND k.kind = 'element'
GROUP BY k.name
