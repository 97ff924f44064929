-- Drill-down of funnel step $k of $steps ($goal_steps: the goals among them), over the cohort.
-- A step's time is the first arrival at a trigger or the first achievement of a goal, as in
-- report_funnel.sql. Not $direct: contacts with steps 1..k in strictly increasing order
-- (reached_k); $direct: contacts with step k and no step k-1 before it (direct_k).
-- at: when they took step k; value: none.
WITH c AS (
    SELECT mk FROM rs_cohort($map_id, $from, $to, $last_touch, $utm_source, $utm_medium, $utm_campaign, $utm_content, $utm_term)
),
steps AS (
    SELECT unnest($steps::VARCHAR[]) AS element_id,
           generate_subscripts($steps::VARCHAR[], 1) AS k
),
keyed AS (
    SELECT s.k, rs_key_of($map_id, 'element', s.element_id) AS ek,
           list_contains($goal_steps::VARCHAR[], s.element_id) AS is_goal
    FROM steps s
),
t AS (
    SELECT v.mk, s.k, v.first_seq AS seq, v.first_at AS step_at
    FROM rs_visit v JOIN keyed s ON s.ek = v.ek AND NOT s.is_goal JOIN c USING (mk)
    WHERE v.first_seq IS NOT NULL
    UNION ALL
    SELECT g.mk, s.k, g.first_seq AS seq, g.first_at AS step_at
    FROM rs_goal g JOIN keyed s ON s.ek = g.gk AND s.is_goal JOIN c USING (mk)
),
upto AS (
    SELECT mk, k, seq, lag(seq) OVER (PARTITION BY mk ORDER BY k) AS prev_seq
    FROM t WHERE k <= $k
),
reached AS (
    SELECT mk FROM upto
    GROUP BY mk
    HAVING count(*) = $k AND bool_and(k = 1 OR seq > prev_seq)
),
direct AS (
    SELECT s.mk FROM t s
    LEFT JOIN t p ON p.mk = s.mk AND p.k = s.k - 1
    WHERE s.k = $k AND NOT coalesce(p.seq < s.seq, false)
),
hit AS (
    SELECT t.mk, t.step_at AS at, NULL::BIGINT AS value
    FROM t
    WHERE t.k = $k
      AND t.mk IN (SELECT mk FROM reached WHERE NOT $direct UNION ALL SELECT mk FROM direct WHERE $direct)
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
