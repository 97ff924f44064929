-- Funnel over the cohort for up to 10 steps ($steps in order; $goal_steps are the goals among
-- them). A step's time is the first arrival at a trigger or the first achievement of a goal;
-- reached_k counts contacts with every step 1..k in strictly increasing order, direct_k those
-- with step k but no step k-1 before it. Generated with 10 pivot columns: see reports/rules.py.
-- Only members with a step after the first are pivoted; the others count in reached_1 alone.
WITH steps AS (
    SELECT s.k, e.k AS ek, list_contains($goal_steps::VARCHAR[], s.name) AS is_goal
    FROM (
        SELECT unnest($steps::VARCHAR[]) AS name, generate_subscripts($steps::VARCHAR[], 1) AS k
    ) s
    JOIN rs_key e ON e.mapk = $mapk AND e.kind = 'element' AND e.name = s.name
),
t AS (
    SELECT v.mk, s.k, v.first_seq AS seq
    FROM rs_visit_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                     $l1, $l2, $l3, $l4, $l5) v
    JOIN steps s ON s.ek = v.ek AND NOT s.is_goal
    WHERE v.first_seq IS NOT NULL
    UNION ALL
    SELECT g.mk, s.k, g.first_seq AS seq
    FROM rs_goal_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                    $l1, $l2, $l3, $l4, $l5) g
    JOIN steps s ON s.ek = g.gk AND s.is_goal
),
later AS (SELECT DISTINCT mk FROM t WHERE k > 1),
p AS (
    SELECT mk,
           max(seq) FILTER (WHERE k = 1) AS t1,
           max(seq) FILTER (WHERE k = 2) AS t2,
           max(seq) FILTER (WHERE k = 3) AS t3,
           max(seq) FILTER (WHERE k = 4) AS t4,
           max(seq) FILTER (WHERE k = 5) AS t5,
           max(seq) FILTER (WHERE k = 6) AS t6,
           max(seq) FILTER (WHERE k = 7) AS t7,
           max(seq) FILTER (WHERE k = 8) AS t8,
           max(seq) FILTER (WHERE k = 9) AS t9,
           max(seq) FILTER (WHERE k = 10) AS t10
    FROM t
    WHERE mk IN (SELECT mk FROM later)
    GROUP BY mk
),
r AS (
    SELECT t1, t2, t3, t4, t5, t6, t7, t8, t9, t10,
           t1 IS NOT NULL AS r1,
           r1 AND coalesce(t2 > t1, false) AS r2,
           r2 AND coalesce(t3 > t2, false) AS r3,
           r3 AND coalesce(t4 > t3, false) AS r4,
           r4 AND coalesce(t5 > t4, false) AS r5,
           r5 AND coalesce(t6 > t5, false) AS r6,
           r6 AND coalesce(t7 > t6, false) AS r7,
           r7 AND coalesce(t8 > t7, false) AS r8,
           r8 AND coalesce(t9 > t8, false) AS r9,
           r9 AND coalesce(t10 > t9, false) AS r10
    FROM p
)
SELECT
       (SELECT count(*) FROM t WHERE k = 1) AS reached_1,
       count(*) FILTER (WHERE r2) AS reached_2,
       count(*) FILTER (WHERE r3) AS reached_3,
       count(*) FILTER (WHERE r4) AS reached_4,
       count(*) FILTER (WHERE r5) AS reached_5,
       count(*) FILTER (WHERE r6) AS reached_6,
       count(*) FILTER (WHERE r7) AS reached_7,
       count(*) FILTER (WHERE r8) AS reached_8,
       count(*) FILTER (WHERE r9) AS reached_9,
       count(*) FILTER (WHERE r10) AS reached_10,
       count(*) FILTER (WHERE t2 IS NOT NULL AND NOT coalesce(t1 < t2, false)) AS direct_2,
       count(*) FILTER (WHERE t3 IS NOT NULL AND NOT coalesce(t2 < t3, false)) AS direct_3,
       count(*) FILTER (WHERE t4 IS NOT NULL AND NOT coalesce(t3 < t4, false)) AS direct_4,
       count(*) FILTER (WHERE t5 IS NOT NULL AND NOT coalesce(t4 < t5, false)) AS direct_5,
       count(*) FILTER (WHERE t6 IS NOT NULL AND NOT coalesce(t5 < t6, false)) AS direct_6,
       count(*) FILTER (WHERE t7 IS NOT NULL AND NOT coalesce(t6 < t7, false)) AS direct_7,
       count(*) FILTER (WHERE t8 IS NOT NULL AND NOT coalesce(t7 < t8, false)) AS direct_8,
       count(*) FILTER (WHERE t9 IS NOT NULL AND NOT coalesce(t8 < t9, false)) AS direct_9,
       count(*) FILTER (WHERE t10 IS NOT NULL AND NOT coalesce(t9 < t10, false)) AS direct_10
FROM r
