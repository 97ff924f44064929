-- Fold a block of goal achievements (`_jm_block`) into each member's first achievement of each
-- goal (when, and where from) and its count. Runs after summary_members.sql.
MERGE INTO rs_goal g
USING (
    SELECT m.mk, m.map_id, b.goal_id,
           min(b.seq) AS first_seq, arg_min(b.occurred_at, b.seq) AS first_at,
           arg_min_null(b.from_element, b.seq) AS first_from,
           max(b.seq) AS last_seq, count(*) AS achievements
    FROM _jm_block b
    JOIN rs_member m ON m.contact_id = b.contact_id AND m.map_id = b.map_id
    GROUP BY ALL
) s
ON g.mk = s.mk AND g.goal_id = s.goal_id
WHEN MATCHED THEN UPDATE SET
    first_at = CASE WHEN s.first_seq < g.first_seq THEN s.first_at ELSE g.first_at END,
    first_from = CASE WHEN s.first_seq < g.first_seq THEN s.first_from ELSE g.first_from END,
    first_seq = least(g.first_seq, s.first_seq),
    last_seq = greatest(g.last_seq, s.last_seq),
    achievements = g.achievements + s.achievements
WHEN NOT MATCHED THEN INSERT VALUES (
    s.mk, s.map_id, s.goal_id, s.first_seq, s.first_at, s.first_from, s.last_seq, s.achievements
);
