-- For the selected goal, per element E, over the cohort: every contact who visited E, followed
-- from its first arrival at E to its first achievement of the goal after it ("after" by sequence,
-- as report_goal_paths.sql), or, without one, to its last exit from the map when it holds no
-- position on the map now, else to $now (censored: still on the way). Grouped by element, seconds
-- followed and outcome, which is all a Kaplan-Meier estimate needs.
-- Each visit is joined once to what lies ahead of its member (its last exit, its achievements of
-- the goal); only the visits between a member's first and last achievement look up which
-- achievement came next. Rows are grouped by element key and microseconds, named after.
WITH g AS (
    SELECT mk, first_seq, first_at, last_seq
    FROM rs_goal_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                    $l1, $l2, $l3, $l4, $l5)
    WHERE gk = (SELECT k FROM rs_key WHERE mapk = $mapk AND kind = 'element' AND name = $goal)
),
v AS NOT MATERIALIZED (  -- read three times: cheaper than keeping every visit in memory
    SELECT ek, mk, first_seq, first_at, live
    FROM rs_visit_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                     $l1, $l2, $l3, $l4, $l5)
    WHERE first_seq IS NOT NULL
),
exits AS (
    -- members holding no position on the map now, followed to their last exit
    SELECT m.mk, max(t.occurred_at) AS exit_at
    FROM transitions t
    JOIN rs_member m ON m.contact_id = t.contact_id AND m.map_id = t.map_id
    WHERE t.kind = 'exit' AND m.mapk = $mapk AND m.mk NOT IN (SELECT mk FROM v WHERE live = 1)
    GROUP BY m.mk
),
ahead AS (
    -- per member: its last exit when off the map, its first and last achievement of the goal
    SELECT mk, epoch_us(x.exit_at) AS exit_us, g.first_seq AS g_first, epoch_us(g.first_at) AS g_us,
           g.last_seq AS g_last
    FROM exits x FULL JOIN g USING (mk)
),
later AS (
    -- visits after the member's first achievement and before its last: the next one after each
    SELECT v.ek, v.first_at, arg_min(a.occurred_at, a.seq) AS achieved_at
    FROM v
    JOIN g USING (mk)
    JOIN rs_member m USING (mk)
    JOIN achievements a
      ON a.contact_id = m.contact_id AND a.map_id = m.map_id AND a.goal_id = $goal
     AND a.seq > v.first_seq
    WHERE g.first_seq <= v.first_seq AND g.last_seq > v.first_seq
    GROUP BY v.ek, v.mk, v.first_at
),
followed AS (
    SELECT v.ek, h.g_first > v.first_seq AS converted,
           greatest(CASE WHEN h.g_first > v.first_seq THEN h.g_us
                         ELSE coalesce(h.exit_us, epoch_us($now::TIMESTAMPTZ)) END
                    - epoch_us(v.first_at), 0) AS us
    FROM v LEFT JOIN ahead h USING (mk)
    WHERE NOT coalesce(h.g_first <= v.first_seq AND h.g_last > v.first_seq, false)
    UNION ALL
    SELECT ek, true, greatest(epoch_us(achieved_at) - epoch_us(first_at), 0) FROM later
),
grouped AS (
    SELECT ek, us, coalesce(converted, false) AS converted, count(*) AS contacts
    FROM followed GROUP BY ALL
)
SELECT k.name AS element_id, g.us / 1e6 AS seconds, g.converted, g.contacts
FROM grouped g JOIN rs_key k ON k.k = g.ek
ORDER BY element_id, seconds
