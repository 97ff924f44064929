-- Fold a block of transitions (`_jm_block`) into the stays (rs_stay, summary_stays.sql). A
-- member's moves come in sequence order across blocks (the engine numbers them as it goes; an
-- import takes none before a member's last recorded move), so of the stays before the block only
-- the one a member is in on an element (its open stay) can take the block's moves there: the
-- block's arrivals before its first move away from the element join it, and that move ends it.
-- Every other arrival begins or joins the stay that the block's next move away from the element
-- after it ends (ASOF), or the open stay it leaves behind. Runs after summary_members.sql
-- (`_jm_mk`) and summary_cohort.sql.
CREATE OR REPLACE TEMP TABLE _jm_stay_dep AS
SELECT m.mk, e.k AS ek, b.seq, epoch_us(b.occurred_at) AS us, b.kind = 'exit' AS is_exit
FROM _jm_block b
JOIN _jm_mk m ON m.contact_id = b.contact_id AND m.map_id = b.map_id
JOIN rs_key e ON e.mapk = m.mapk AND e.kind = 'element' AND e.name = b.from_element
WHERE b.from_element IS NOT NULL;
CREATE OR REPLACE TEMP TABLE _jm_stay_arr AS
WITH arr AS (
    SELECT m.mk, m.mapk, e.k AS ek, c.k AS ck, m.ce, m.u1, m.u2, m.u3, m.u4, m.u5, b.seq,
           epoch_us(b.occurred_at) AS us
    FROM _jm_block b
    JOIN _jm_mk m ON m.contact_id = b.contact_id AND m.map_id = b.map_id
    JOIN rs_key e ON e.mapk = m.mapk AND e.kind = 'element' AND e.name = b.to_element
    LEFT JOIN rs_key c ON c.mapk = m.mapk AND c.kind = 'connector' AND c.name = b.connector_id
    WHERE b.to_element IS NOT NULL
),
first_dep AS (SELECT mk, ek, min(seq) AS seq FROM _jm_stay_dep GROUP BY ALL)
SELECT a.*, d.seq AS left_seq, d.us AS left_us, d.is_exit AS left_exit,
       f.seq IS NULL OR a.seq < f.seq AS head
FROM arr a
ASOF LEFT JOIN _jm_stay_dep d ON a.mk = d.mk AND a.ek = d.ek AND a.seq < d.seq
LEFT JOIN first_dep f ON f.mk = a.mk AND f.ek = a.ek;
-- The open stays the block touches, as they will stand after it: started no later than the
-- block's arrivals that join them, ended by its first move away.
CREATE OR REPLACE TEMP TABLE _jm_stay_open AS
WITH pairs AS (
    SELECT DISTINCT mk, ek FROM _jm_stay_arr
    UNION SELECT DISTINCT mk, ek FROM _jm_stay_dep
),
joined AS (SELECT mk, ek, min(us) AS us FROM _jm_stay_arr WHERE head GROUP BY ALL),
ended AS (
    SELECT mk, ek, arg_min(us, seq) AS us, arg_min(is_exit, seq) AS is_exit
    FROM _jm_stay_dep GROUP BY ALL
)
SELECT s.mk, s.ek, s.arrived_seq, s.due_us, s.stay_us AS was_us,
       least(s.stay_us, j.us) AS stay_us, d.us AS left_us, d.is_exit AS left_exit
FROM rs_stay s
SEMI JOIN pairs p ON p.mk = s.mk AND p.ek = s.ek
LEFT JOIN joined j ON j.mk = s.mk AND j.ek = s.ek
LEFT JOIN ended d ON d.mk = s.mk AND d.ek = s.ek
WHERE s.ck IS NULL AND s.left_us IS NULL;
UPDATE rs_stay SET
    stay_us = o.stay_us,
    at_us = CASE WHEN rs_stay.ck IS NULL THEN o.stay_us ELSE rs_stay.at_us END,
    left_us = o.left_us,
    left_exit = o.left_exit
FROM _jm_stay_open o
WHERE (o.left_us IS NOT NULL OR o.stay_us < o.was_us)
  AND rs_stay.mk = o.mk AND rs_stay.ek = o.ek AND rs_stay.arrived_seq = o.arrived_seq;
-- The stays the block begins (every arrival but those joining an open stay, grouped by the move
-- that ends them), and a row per arrival along a connector, in whichever stay it joined.
INSERT INTO rs_stay
WITH a AS (
    SELECT a.*, o.arrived_seq AS open_seq, o.stay_us AS open_us, o.due_us AS open_due
    FROM _jm_stay_arr a
    LEFT JOIN _jm_stay_open o ON a.head AND o.mk = a.mk AND o.ek = a.ek
),
begun AS (
    SELECT mk, ek, left_seq, any_value(mapk) AS mapk, any_value(ce) AS ce,
           any_value(u1) AS u1, any_value(u2) AS u2, any_value(u3) AS u3, any_value(u4) AS u4,
           any_value(u5) AS u5, min(seq) AS arrived_seq, min(us) AS stay_us,
           any_value(left_us) AS left_us, any_value(left_exit) AS left_exit
    FROM a WHERE open_seq IS NULL
    GROUP BY mk, ek, left_seq
)
SELECT mapk, ek, NULL::INTEGER, mk, ce, u1, u2, u3, u4, u5, arrived_seq, stay_us, stay_us,
       left_us, left_exit, NULL::BIGINT
FROM begun
UNION ALL
SELECT a.mapk, a.ek, a.ck, a.mk, a.ce, a.u1, a.u2, a.u3, a.u4, a.u5,
       coalesce(a.open_seq, b.arrived_seq), coalesce(a.open_us, b.stay_us), a.us, a.left_us,
       a.left_exit, a.open_due
FROM a
LEFT JOIN begun b
  ON a.open_seq IS NULL AND b.mk = a.mk AND b.ek = a.ek
 AND b.left_seq IS NOT DISTINCT FROM a.left_seq
WHERE a.ck IS NOT NULL
ORDER BY 1, 6, 7, 8, 9, 10, 5, 4, 2, 11;
DROP TABLE _jm_stay_dep;
DROP TABLE _jm_stay_arr;
DROP TABLE _jm_stay_open;
