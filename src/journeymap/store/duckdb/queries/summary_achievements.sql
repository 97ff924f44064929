-- Fold a block of goal achievements (`_jm_block`) into each member's first achievement of each
-- goal (when, and where from) and its count. Runs after summary_members.sql (`_jm_mk`).
MERGE INTO rs_goal g
USING (
    WITH firsts AS (
        SELECT contact_id, map_id, goal_id,
               min(seq) AS first_seq, arg_min(occurred_at, seq) AS first_at,
               arg_min_null(from_element, seq) AS first_from,
               max(seq) AS last_seq, count(*) AS achievements
        FROM _jm_block
        GROUP BY ALL
    )
    SELECT m.mapk, k.k AS gk, m.mk, m.ce, m.u1, m.u2, m.u3, m.u4, m.u5,
           f.first_seq, f.first_at, w.k AS first_from, f.last_seq, f.achievements
    FROM firsts f
    JOIN _jm_mk m ON m.contact_id = f.contact_id AND m.map_id = f.map_id
    JOIN rs_key k ON k.mapk = m.mapk AND k.kind = 'element' AND k.name = f.goal_id
    LEFT JOIN rs_key w ON w.mapk = m.mapk AND w.kind = 'element' AND w.name = f.first_from
    ORDER BY m.mapk, m.u1, m.u2, m.u3, m.u4, m.u5, m.ce, m.mk, k.k
) s
ON g.mk = s.mk AND g.gk = s.gk
   AND g.u1 = s.u1 AND g.u2 = s.u2 AND g.u3 = s.u3 AND g.u4 = s.u4 AND g.u5 = s.u5
WHEN MATCHED THEN UPDATE SET
    first_at = CASE WHEN s.first_seq < g.first_seq THEN s.first_at ELSE g.first_at END,
    first_from = CASE WHEN s.first_seq < g.first_seq THEN s.first_from ELSE g.first_from END,
    first_seq = least(g.first_seq, s.first_seq),
    last_seq = greatest(g.last_seq, s.last_seq),
    achievements = g.achievements + s.achievements
WHEN NOT MATCHED THEN INSERT VALUES (
    s.mapk, s.gk, s.mk, s.ce, s.u1, s.u2, s.u3, s.u4, s.u5, s.first_seq, s.first_at,
    s.first_from, s.last_seq, s.achievements
);
