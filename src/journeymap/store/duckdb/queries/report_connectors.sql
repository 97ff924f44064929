-- Per connector, over the cohort: distinct contacts who moved along it.
WITH s AS (
    SELECT ck, count(*) AS contacts
    FROM rs_link_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                    $l1, $l2, $l3, $l4, $l5)
    GROUP BY ck
)
SELECT k.name AS connector_id, s.contacts
FROM s JOIN rs_key k ON k.k = s.ck
