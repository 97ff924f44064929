-- Fold a block of transitions (`_jm_block`) into the stays (rs_stay, summary_stays.sql). A
-- member's moves come in sequence order across blocks (the engine numbers them as it goes; an
-- import takes none before a member's last recorded move), so of the stays before the block only
-- the one a member is in on an element (its open stay) can take the block's moves there: the
-- block's arrivals before its first move away from the element join it, and that move ends it.
-- Every other arrival begins or joins the stay that the block's next move away from the element
-- after it ends (ASOF), or the open stay it leaves behind. Runs after summary_members.sql or
-- summary_members_enter.sql (`_jm_mk`) and summary_cohort.sql. One statement: the open stays'
-- changes are its matched rows, the stays and connector arrivals the block begins its rows that
-- match nothing. The stays it begins take their wait's due time from `_jm_waits`: the waits of
-- the same append when each is begun by an arrival of this block (summaries.fold_ahead), else
-- none (summary_stays.sql), and summary_stays_waits.sql folds them after.
MERGE INTO rs_stay s
USING (
    WITH dep AS MATERIALIZED (
        -- the block's moves away from an element
        SELECT m.mk, e.k AS ek, b.seq, epoch_us(b.occurred_at) AS us, b.kind = 'exit' AS is_exit
        FROM _jm_block b
        JOIN _jm_mk m ON m.contact_id = b.contact_id AND m.map_id = b.map_id
        JOIN rs_key e ON e.mapk = m.mapk AND e.kind = 'element' AND e.name = b.from_element
        WHERE b.from_element IS NOT NULL
    ),
    first_dep AS (SELECT mk, ek, min(seq) AS seq FROM dep GROUP BY ALL),
    arr AS MATERIALIZED (
        -- the block's arrivals, each with the move away that ends its stay (head: before the
        -- block's first move away from the element, so it may join the open stay)
        SELECT a.*, d.seq AS left_seq, d.us AS left_us, d.is_exit AS left_exit,
               f.seq IS NULL OR a.seq < f.seq AS head
        FROM (
            SELECT m.mk, m.mapk, e.k AS ek, c.k AS ck, m.ce, m.u1, m.u2, m.u3, m.u4, m.u5,
                   b.seq, epoch_us(b.occurred_at) AS us
            FROM _jm_block b
            JOIN _jm_mk m ON m.contact_id = b.contact_id AND m.map_id = b.map_id
            JOIN rs_key e ON e.mapk = m.mapk AND e.kind = 'element' AND e.name = b.to_element
            LEFT JOIN rs_key c
                ON c.mapk = m.mapk AND c.kind = 'connector' AND c.name = b.connector_id
            WHERE b.to_element IS NOT NULL
        ) a
        ASOF LEFT JOIN dep d ON a.mk = d.mk AND a.ek = d.ek AND a.seq < d.seq
        LEFT JOIN first_dep f ON f.mk = a.mk AND f.ek = a.ek
    ),
    pairs AS (SELECT DISTINCT mk, ek FROM arr UNION SELECT DISTINCT mk, ek FROM dep),
    joined AS (SELECT mk, ek, min(us) AS us FROM arr WHERE head GROUP BY ALL),
    ended AS (
        SELECT mk, ek, arg_min(us, seq) AS us, arg_min(is_exit, seq) AS is_exit
        FROM dep GROUP BY ALL
    ),
    open AS MATERIALIZED (
        -- the open stays the block touches, as they will stand after it: started no later than
        -- the block's arrivals that join them, ended by its first move away
        SELECT o.mk, o.ek, o.arrived_seq, o.due_us, o.stay_us AS was_us,
               least(o.stay_us, j.us) AS stay_us, d.us AS left_us, d.is_exit AS left_exit
        FROM rs_stay o
        SEMI JOIN pairs p ON p.mk = o.mk AND p.ek = o.ek
        LEFT JOIN joined j ON j.mk = o.mk AND j.ek = o.ek
        LEFT JOIN ended d ON d.mk = o.mk AND d.ek = o.ek
        WHERE o.ck IS NULL AND o.left_us IS NULL
    ),
    a AS (
        SELECT a.*, o.arrived_seq AS open_seq, o.stay_us AS open_us, o.due_us AS open_due
        FROM arr a
        LEFT JOIN open o ON a.head AND o.mk = a.mk AND o.ek = a.ek
    ),
    begun AS MATERIALIZED (
        -- the stays the block begins: every arrival but those joining an open stay, grouped by
        -- the move that ends them
        SELECT mk, ek, left_seq, any_value(mapk) AS mapk, any_value(ce) AS ce,
               any_value(u1) AS u1, any_value(u2) AS u2, any_value(u3) AS u3,
               any_value(u4) AS u4, any_value(u5) AS u5, min(seq) AS arrived_seq,
               min(us) AS stay_us, any_value(left_us) AS left_us,
               any_value(left_exit) AS left_exit
        FROM a WHERE open_seq IS NULL
        GROUP BY mk, ek, left_seq
    ),
    due AS (
        -- the waits the block's arrivals begin, each set on every row of the stay whose first
        -- arrival it is (as summary_stays_waits.sql)
        SELECT m.mk, e.k AS ek, w.arrived_seq, epoch_us(w.due_at) AS due_us
        FROM _jm_waits w
        JOIN _jm_mk m ON m.contact_id = w.contact_id AND m.map_id = w.map_id
        JOIN rs_key e ON e.mapk = m.mapk AND e.kind = 'element' AND e.name = w.element_id
    ),
    begun_due AS (
        SELECT b.*, d.due_us FROM begun b
        LEFT JOIN due d ON d.mk = b.mk AND d.ek = b.ek AND d.arrived_seq = b.arrived_seq
    )
    SELECT false AS new, NULL::INTEGER AS mapk, ek, NULL::INTEGER AS ck, mk, NULL::BIGINT AS ce,
           NULL::INTEGER AS u1, NULL::INTEGER AS u2, NULL::INTEGER AS u3, NULL::INTEGER AS u4,
           NULL::INTEGER AS u5, arrived_seq, stay_us, NULL::BIGINT AS at_us, left_us,
           left_exit, NULL::BIGINT AS due_us
    FROM open
    WHERE left_us IS NOT NULL OR stay_us < was_us
    UNION ALL
    SELECT true, mapk, ek, NULL, mk, ce, u1, u2, u3, u4, u5, arrived_seq, stay_us, stay_us,
           left_us, left_exit, due_us
    FROM begun_due
    UNION ALL
    -- a row per arrival along a connector, in whichever stay it joined
    SELECT true, a.mapk, a.ek, a.ck, a.mk, a.ce, a.u1, a.u2, a.u3, a.u4, a.u5,
           coalesce(a.open_seq, b.arrived_seq), coalesce(a.open_us, b.stay_us), a.us, a.left_us,
           a.left_exit, coalesce(a.open_due, b.due_us)
    FROM a
    LEFT JOIN begun_due b
      ON a.open_seq IS NULL AND b.mk = a.mk AND b.ek = a.ek
     AND b.left_seq IS NOT DISTINCT FROM a.left_seq
    WHERE a.ck IS NOT NULL
    ORDER BY 1, 2, 7, 8, 9, 10, 11, 6, 5, 3, 12
) x
ON NOT x.new AND s.mk = x.mk AND s.ek = x.ek AND s.arrived_seq = x.arrived_seq
WHEN MATCHED THEN UPDATE SET
    stay_us = x.stay_us,
    at_us = CASE WHEN s.ck IS NULL THEN x.stay_us ELSE s.at_us END,
    left_us = x.left_us,
    left_exit = x.left_exit
WHEN NOT MATCHED AND x.new THEN INSERT VALUES (
    x.mapk, x.ek, x.ck, x.mk, x.ce, x.u1, x.u2, x.u3, x.u4, x.u5, x.arrived_seq, x.stay_us,
    x.at_us, x.left_us, x.left_exit, x.due_us
);
