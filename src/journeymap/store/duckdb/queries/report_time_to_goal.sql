-- For the selected goal, per element E, over the cohort: every contact who visited E, followed
-- from its first arrival at E to its first achievement of the goal after it ("after" by sequence,
-- as report_goal_paths.sql), or, without one, to its last exit from the map when it holds no
-- position on the map now, else to $now (censored: still on the way). Grouped by element, seconds
-- followed and outcome, which is all a Kaplan-Meier estimate needs.
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
later AS (
    SELECT v.ek, v.mk, v.first_seq AS arrived_seq,
           CASE WHEN g.first_seq > v.first_seq THEN g.first_at END AS achieved_at
    FROM v JOIN g USING (mk)
    WHERE g.last_seq > v.first_seq
),
resolved AS (
    SELECT ek, mk, achieved_at FROM later WHERE achieved_at IS NOT NULL
    UNION ALL
    SELECT l.ek, l.mk, arg_min(a.occurred_at, a.seq) AS achieved_at
    FROM later l
    JOIN rs_member m USING (mk)
    JOIN achievements a
      ON a.contact_id = m.contact_id AND a.map_id = m.map_id AND a.goal_id = $goal
     AND a.seq > l.arrived_seq
    WHERE l.achieved_at IS NULL
    GROUP BY l.ek, l.mk
),
exits AS (
    -- members holding no position on the map now, followed to their last exit
    SELECT m.mk, max(t.occurred_at) AS exit_at
    FROM transitions t
    JOIN rs_member m ON m.contact_id = t.contact_id AND m.map_id = t.map_id
    WHERE t.kind = 'exit' AND m.mapk = $mapk AND m.mk NOT IN (SELECT mk FROM v WHERE live = 1)
    GROUP BY m.mk
),
followed AS (
    SELECT v.ek, r.achieved_at IS NOT NULL AS converted,
           greatest(epoch_us(coalesce(r.achieved_at, x.exit_at, $now::TIMESTAMPTZ))
                    - epoch_us(v.first_at), 0) / 1e6 AS seconds
    FROM v
    LEFT JOIN resolved r USING (ek, mk)
    LEFT JOIN exits x USING (mk)
)
SELECT k.name AS element_id, f.seconds, f.converted, count(*) AS contacts
FROM followed f JOIN rs_key k ON k.k = f.ek
GROUP BY ALL
ORDER BY element_id, seconds
