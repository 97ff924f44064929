-- Stays on elements (docs/metrics.md, "Bottlenecks"), kept per member by summary_stays_fold.sql
-- and summary_stays_waits.sql inside every append: a stay begins at an arrival at an element where
-- the contact holds no position and ends at the next move away from it (any kind: flow, pull,
-- goto, exit); an arrival where the contact already sits joins the stay it is in, and a move from
-- an element to itself ends one stay and begins the next. One row per stay (ck NULL), and one per
-- arrival within it along a connector (ck) for drop-off; every row carries its stay's key
-- (arrived_seq: its first arrival), start, end and wait, and its member's cohort attributes.
-- Times are epoch microseconds.
CREATE TABLE IF NOT EXISTS rs_stay (
    mapk INTEGER NOT NULL, ek INTEGER NOT NULL,
    ck INTEGER,                       -- NULL: the stay; else an arrival in it along this connector
    mk BIGINT NOT NULL,
    ce BIGINT, u1 INTEGER NOT NULL, u2 INTEGER NOT NULL, u3 INTEGER NOT NULL,
    u4 INTEGER NOT NULL, u5 INTEGER NOT NULL,
    arrived_seq BIGINT NOT NULL,      -- the stay's first arrival
    stay_us BIGINT NOT NULL,          -- the stay's start: its earliest arrival time
    at_us BIGINT NOT NULL,            -- this row's arrival: stay_us, or the connector arrival's
    left_us BIGINT,                   -- the move away that ended the stay; NULL: still there
    left_exit BOOLEAN,                -- that move was an exit
    due_us BIGINT                     -- the wait the stay began (waits, by arrived_seq): when due
);
-- The waits summary_stays_fold.sql sets on the stays a block begins: none. An append whose waits
-- are each begun by an arrival of its transitions block registers them under this name for the
-- length of the append (summaries.fold_ahead), which hides this view.
CREATE OR REPLACE VIEW _jm_waits AS
SELECT contact_id, map_id, element_id, arrived_seq, due_at FROM waits WHERE false;
-- The rows of rs_stay in a report's cohort (as rs_visit_of).
CREATE OR REPLACE MACRO rs_stay_of(p_last, p_mapk, p_lo, p_hi, c1, c2, c3, c4, c5,
                                   l1, l2, l3, l4, l5) AS TABLE
SELECT * FROM rs_stay
WHERE NOT p_last AND rs_pass(mapk, ce, u1, u2, u3, u4, u5, p_mapk, p_lo, p_hi, c1, c2, c3, c4, c5)
UNION ALL
SELECT r.* FROM rs_stay r
JOIN rs_last_touch(p_last, p_mapk, p_lo, p_hi, l1, l2, l3, l4, l5) USING (mk)
WHERE r.mapk = p_mapk;
-- Stays over a report's cohort with element and connector ids: the stay's own row
-- (connector_id NULL) and its arrivals along connectors, each with the stay's end, whether that
-- was an exit, and its configured dwell (conf_us): a wait's due time less the stay's start,
-- else the element's configured microseconds from p_ids / p_conf_us (NULL: none set).
CREATE OR REPLACE MACRO rs_stays_of(p_last, p_mapk, p_lo, p_hi, c1, c2, c3, c4, c5,
                                    l1, l2, l3, l4, l5, p_ids, p_conf_us) AS TABLE
WITH conf AS (
    SELECT unnest(p_ids) AS element_id, unnest(p_conf_us) AS conf_us
)
SELECT s.mk, e.name AS element_id, c.name AS connector_id, make_timestamptz(s.at_us) AS arrived_at,
       make_timestamptz(s.left_us) AS left_at, s.left_exit,
       CASE WHEN s.due_us IS NOT NULL THEN greatest(s.due_us - s.stay_us, 0)
            ELSE f.conf_us END AS conf_us
FROM rs_stay_of(p_last, p_mapk, p_lo, p_hi, c1, c2, c3, c4, c5, l1, l2, l3, l4, l5) s
JOIN rs_key e ON e.k = s.ek
LEFT JOIN rs_key c ON c.k = s.ck
LEFT JOIN conf f ON f.element_id = e.name;
