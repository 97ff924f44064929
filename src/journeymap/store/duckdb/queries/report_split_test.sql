-- For the selected goal, per split and branch (a connector leaving the split), over the cohort:
-- contacts sent down that branch and no other of the split, and those of them who achieved the
-- goal after their first arrival at the split ("after" by sequence). Contacts sent down several
-- branches of one split (the map's weights changed while they went round again) come in one row
-- per split with connector_id NULL: the test leaves them out. $branches and $branch_splits are
-- parallel lists: each branch connector and the split it leaves.
WITH b AS (
    SELECT k.k AS ck, x.connector_id, x.split_id, s.k AS sk
    FROM (SELECT unnest($branches::VARCHAR[]) AS connector_id,
                 unnest($branch_splits::VARCHAR[]) AS split_id) x
    JOIN rs_key k ON k.mapk = $mapk AND k.kind = 'connector' AND k.name = x.connector_id
    JOIN rs_key s ON s.mapk = $mapk AND s.kind = 'element' AND s.name = x.split_id
),
sent AS (
    SELECT l.mk, b.sk, any_value(b.connector_id) AS connector_id, count(*) AS branches
    FROM rs_link_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                    $l1, $l2, $l3, $l4, $l5) l
    JOIN b USING (ck)
    GROUP BY l.mk, b.sk
),
passed AS (
    SELECT v.mk, v.ek AS sk, v.first_seq
    FROM rs_visit_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                     $l1, $l2, $l3, $l4, $l5) v
    WHERE v.ek IN (SELECT sk FROM b) AND v.first_seq IS NOT NULL
),
g AS (
    SELECT mk, last_seq
    FROM rs_goal_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                    $l1, $l2, $l3, $l4, $l5)
    WHERE gk = (SELECT k FROM rs_key WHERE mapk = $mapk AND kind = 'element' AND name = $goal)
)
SELECT k.name AS split_id,
       CASE WHEN s.branches = 1 THEN s.connector_id END AS connector_id,
       count(*) AS contacts,
       count(*) FILTER (WHERE g.last_seq > p.first_seq) AS achievers
FROM sent s
JOIN rs_key k ON k.k = s.sk
LEFT JOIN passed p ON p.mk = s.mk AND p.sk = s.sk
LEFT JOIN g ON g.mk = s.mk
GROUP BY ALL
