-- Stays on elements (docs/metrics.md, "Bottlenecks"), over a report's cohort: a stay begins at an
-- arrival at an element where the contact holds no position and ends at the next move away from
-- it (any kind: flow, pull, goto, exit); an arrival where the contact already sits joins the stay
-- it is in, and a move from an element to itself ends one stay and begins the next. One row per
-- stay, and one per arrival within it along a connector (connector_id; NULL for the stay's own
-- row) for drop-off. conf_us is the stay's configured dwell: a wait's due time (waits) less the
-- arrival, else the element's configured microseconds from p_ids / p_conf_us (NULL: none set).
CREATE OR REPLACE MACRO rs_stays_of(p_last, p_mapk, p_lo, p_hi, c1, c2, c3, c4, c5,
                                    l1, l2, l3, l4, l5, p_ids, p_conf_us) AS TABLE
WITH c AS (
    SELECT mk, contact_id, map_id
    FROM rs_member_of(p_last, p_mapk, p_lo, p_hi, c1, c2, c3, c4, c5, l1, l2, l3, l4, l5)
),
ev AS (
    SELECT c.mk, t.map_id, t.to_element AS element_id, t.seq, t.occurred_at AS moved_at, 0 AS dep,
           t.kind, t.connector_id
    FROM transitions t JOIN c ON t.contact_id = c.contact_id AND t.map_id = c.map_id
    WHERE t.to_element IS NOT NULL
    UNION ALL
    SELECT c.mk, t.map_id, t.from_element, t.seq, t.occurred_at, 1, t.kind, NULL
    FROM transitions t JOIN c ON t.contact_id = c.contact_id AND t.map_id = c.map_id
    WHERE t.from_element IS NOT NULL
),
grouped AS (
    SELECT *, coalesce(sum(dep) OVER (PARTITION BY mk, element_id ORDER BY seq, dep DESC
                                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS grp
    FROM ev
),
stays AS (
    SELECT mk, any_value(map_id) AS map_id, element_id, grp,
           min(seq) FILTER (WHERE dep = 0) AS arrived_seq,
           min(moved_at) FILTER (WHERE dep = 0) AS arrived_at,
           min(moved_at) FILTER (WHERE dep = 1) AS left_at,
           min(kind) FILTER (WHERE dep = 1) AS left_kind
    FROM grouped
    GROUP BY mk, element_id, grp
    HAVING min(seq) FILTER (WHERE dep = 0) IS NOT NULL
),
conf AS (
    SELECT unnest(p_ids) AS element_id, unnest(p_conf_us) AS conf_us
),
timed AS (
    SELECT s.*, CASE WHEN w.due_at IS NOT NULL
                     THEN greatest(epoch_us(w.due_at) - epoch_us(s.arrived_at), 0)
                     ELSE f.conf_us END AS conf_us
    FROM stays s
    JOIN rs_member m USING (mk)
    LEFT JOIN waits w
      ON w.contact_id = m.contact_id AND w.map_id = s.map_id AND w.element_id = s.element_id
     AND w.arrived_seq = s.arrived_seq
    LEFT JOIN conf f ON f.element_id = s.element_id
)
SELECT t.mk, t.element_id, NULL::VARCHAR AS connector_id, t.arrived_at, t.left_at, t.left_kind,
       t.conf_us
FROM timed t
UNION ALL
SELECT t.mk, t.element_id, g.connector_id, g.moved_at, t.left_at, t.left_kind, t.conf_us
FROM grouped g JOIN timed t USING (mk, element_id, grp)
WHERE g.dep = 0 AND g.connector_id IS NOT NULL;
