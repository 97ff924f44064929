-- Attribution of goal conversion point (docs/metrics.md): per achiever of p_goal in a report's
-- cohort, the elements its first achievement is credited to, each with a weight 2^-r: r = 0 for
-- every element but under time decay, where r is the whole half-lives (p_half_us) from the
-- element's latest arrival to the achievement, less the smallest such count of that achiever.
-- Its credit on an element is 2^-r / Σ 2^-r over the achiever's rows.
-- The path is the achiever's moves on the entry of its first achievement, before it, to any
-- element but the goal: 'first' credits its first element, 'linear' and 'time-decay' every
-- element on it. 'last' credits the element it was on (rs_goal's first_from), as does any model
-- for an achiever with no path; element_id NULL: it entered the map at the goal.
CREATE OR REPLACE MACRO rs_credit_of(p_last, p_mapk, p_lo, p_hi, c1, c2, c3, c4, c5,
                                     l1, l2, l3, l4, l5, p_goal, p_model, p_half_us) AS TABLE
WITH g AS (
    SELECT g.mk, g.first_seq, g.first_at, g.first_from, m.contact_id, m.map_id
    FROM rs_goal_of(p_last, p_mapk, p_lo, p_hi, c1, c2, c3, c4, c5, l1, l2, l3, l4, l5) g
    JOIN rs_member m USING (mk)
    WHERE g.gk = (SELECT k FROM rs_key WHERE mapk = p_mapk AND kind = 'element' AND name = p_goal)
),
touch AS (
    SELECT g.mk, t.to_element AS element_id, min(t.seq) AS first_seq,
           max(t.occurred_at) AS last_at, any_value(g.first_at) AS achieved_at
    FROM g
    JOIN achievements a
      ON a.contact_id = g.contact_id AND a.map_id = g.map_id AND a.goal_id = p_goal
     AND a.seq = g.first_seq
    JOIN transitions t
      ON t.contact_id = g.contact_id AND t.map_id = g.map_id AND t.entry_id = a.entry_id
     AND t.seq < g.first_seq
    WHERE p_model <> 'last' AND t.to_element IS NOT NULL AND t.to_element <> p_goal
    GROUP BY g.mk, t.to_element
),
picked AS (
    SELECT mk, element_id, achieved_at,
           CASE WHEN p_model = 'time-decay'
                THEN greatest(epoch_us(achieved_at) - epoch_us(last_at), 0) // p_half_us
                ELSE 0 END AS k
    FROM touch
    QUALIFY p_model <> 'first' OR first_seq = min(first_seq) OVER (PARTITION BY mk)
),
rel AS (
    SELECT mk, element_id, achieved_at, (k - min(k) OVER (PARTITION BY mk))::BIGINT AS r
    FROM picked
)
SELECT mk, element_id, achieved_at, r FROM rel
UNION ALL
SELECT g.mk, k.name, g.first_at, 0::BIGINT
FROM g LEFT JOIN rs_key k ON k.k = g.first_from
WHERE g.mk NOT IN (SELECT mk FROM rel);
