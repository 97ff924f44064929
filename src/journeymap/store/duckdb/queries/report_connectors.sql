-- Per connector, over the cohort: distinct contacts who moved along it. As report_elements.sql:
-- a first-touch cohort's whole UTC days from the flow rollup (rs_flow), its edge days' members
-- from rs_link; a last-touch cohort's members from rs_link.
WITH s AS (
    SELECT ck, count(*) AS contacts
    FROM rs_link_of($last_touch, $mapk, $lo,
                    CASE WHEN $last_touch THEN $hi ELSE least(rs_whole_from($lo), $hi) END,
                    $c1, $c2, $c3, $c4, $c5, $l1, $l2, $l3, $l4, $l5)
    GROUP BY ck
    UNION ALL
    SELECT ck, count(*)
    FROM rs_link_of(false, $mapk, rs_whole_to($lo, $hi), $hi,
                    $c1, $c2, $c3, $c4, $c5, NULL, NULL, NULL, NULL, NULL)
    WHERE NOT $last_touch
    GROUP BY ck
    UNION ALL
    SELECT f.k, sum(f.rows)
    FROM rs_flow_of($mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5) f
    WHERE NOT $last_touch
    GROUP BY f.k
)
SELECT k.name AS connector_id, sum(s.contacts)::BIGINT AS contacts
FROM s JOIN rs_key k ON k.k = s.ck AND k.kind = 'connector'
GROUP BY k.name
