-- Bottlenecks over the cohort, from the stays summary (rs_stay_of, summary_stays.sql). Per
-- element ('element' rows): completed stays and their dwell microseconds (median and 90th
-- percentile times ten, as rs_quantile_x10 interpolates), the configured dwell's median over
-- every stay where one is set (a wait's due time less the stay's start, else the element's from
-- $ids / $conf_us), and stuck contacts: here now for longer than the stay's configured dwell plus
-- $grace_us at $now.
-- Per connector ('connector' rows): distinct contacts who moved along it to an element other than
-- an end ($ends) and then left the map from there (their next move away was an exit) or sat there
-- longer than the stay's configured dwell plus $stall_us (until their next move away, or until
-- $now when they are still there); connectors without any are left out.
-- The stays are read once and kept; each order statistic is then found exactly without sorting:
-- quantile_disc guesses a value near the rank r the interpolation starts from, one grouped pass
-- counts the values below and at each guess with the nearest values on either side, and the
-- counts say whether the guess is the value at r, the one after it (then the value at r is the
-- largest below the guess), or neither (that element's values are sorted into a list,
-- rs_quantile_x10).
WITH conf AS (
    SELECT k.k AS ek, x.conf_us
    FROM (SELECT unnest($ids::VARCHAR[]) AS element_id, unnest($conf_us::BIGINT[]) AS conf_us) x
    JOIN rs_key k ON k.mapk = $mapk AND k.kind = 'element' AND k.name = x.element_id
),
cohort AS NOT MATERIALIZED (
    SELECT *
    FROM rs_stay_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                    $l1, $l2, $l3, $l4, $l5)
),
st AS MATERIALIZED (
    -- each stay: d, its dwell when completed; c, its configured dwell when one is set
    SELECT s.ek, s.left_us - s.at_us AS d,
           CASE WHEN s.due_us IS NOT NULL THEN greatest(s.due_us - s.stay_us, 0)
                ELSE f.conf_us END AS c,
           s.left_us IS NULL AND epoch_us($now::TIMESTAMPTZ) - s.at_us > c + $grace_us AS stuck
    FROM cohort s LEFT JOIN conf f USING (ek)
    WHERE s.ck IS NULL
),
guess AS (
    -- a member holds at most one open stay on an element: stuck stays are stuck contacts
    SELECT ek, count(d) AS nd, count(c) AS nc, count(*) FILTER (WHERE stuck) AS stuck,
           quantile_disc(d, [0.5, 0.9]) AS gd, quantile_disc(c, 0.5) AS gc
    FROM st
    GROUP BY ek
),
sides AS (
    -- the stays by the side of each guess their values fall on (-1 below, 0 at, 1 above)
    SELECT s.ek, sign(s.d - g.gd[1]) AS s5, sign(s.d - g.gd[2]) AS s9, sign(s.c - g.gc) AS sc,
           count(s.d) AS nd, min(s.d) AS dmin, max(s.d) AS dmax,
           count(s.c) AS nc, min(s.c) AS cmin, max(s.c) AS cmax
    FROM st s JOIN guess g USING (ek)
    GROUP BY ALL
),
counted AS (
    -- per element and guess: values below it, up to it, the smallest above, the largest below
    SELECT g.ek, g.nd, g.nc, g.stuck, g.gd[1] AS d5, g.gd[2] AS d9, g.gc AS c5,
           coalesce(sum(x.nd) FILTER (WHERE x.s5 < 0), 0) AS d5_below,
           coalesce(sum(x.nd) FILTER (WHERE x.s5 <= 0), 0) AS d5_upto,
           min(x.dmin) FILTER (WHERE x.s5 > 0) AS d5_above,
           max(x.dmax) FILTER (WHERE x.s5 < 0) AS d5_prev,
           coalesce(sum(x.nd) FILTER (WHERE x.s9 < 0), 0) AS d9_below,
           coalesce(sum(x.nd) FILTER (WHERE x.s9 <= 0), 0) AS d9_upto,
           min(x.dmin) FILTER (WHERE x.s9 > 0) AS d9_above,
           max(x.dmax) FILTER (WHERE x.s9 < 0) AS d9_prev,
           coalesce(sum(x.nc) FILTER (WHERE x.sc < 0), 0) AS c5_below,
           coalesce(sum(x.nc) FILTER (WHERE x.sc <= 0), 0) AS c5_upto,
           min(x.cmin) FILTER (WHERE x.sc > 0) AS c5_above,
           max(x.cmax) FILTER (WHERE x.sc < 0) AS c5_prev
    FROM guess g LEFT JOIN sides x USING (ek)
    GROUP BY ALL
),
checked AS (
    SELECT ek, 'd' AS w, 5 AS q, nd AS n, d5 AS g, d5_below AS below, d5_upto AS upto,
           d5_above AS above, d5_prev AS prev
    FROM counted
    UNION ALL
    SELECT ek, 'd', 9, nd, d9, d9_below, d9_upto, d9_above, d9_prev FROM counted
    UNION ALL
    SELECT ek, 'c', 5, nc, c5, c5_below, c5_upto, c5_above, c5_prev FROM counted
),
ranked AS (
    SELECT *, (n - 1) * q // 10 AS r, (n - 1) * q % 10 AS f FROM checked WHERE n > 0
),
sorted AS (
    SELECT ek, w, list(x ORDER BY x) AS xs
    FROM (SELECT ek, 'd' AS w, d AS x FROM st UNION ALL SELECT ek, 'c', c FROM st)
    WHERE x IS NOT NULL
      AND (ek, w) IN (SELECT (ek, w) FROM ranked
                      WHERE NOT (below <= r AND r < upto) AND r + 1 <> below)
    GROUP BY ek, w
),
quantiles AS (
    SELECT c.ek, c.w, c.q,
           CASE WHEN c.below <= c.r AND c.r < c.upto
                THEN 10 * c.g + ((CASE WHEN c.r + 1 < c.upto THEN c.g
                                       ELSE coalesce(c.above, c.g) END) - c.g) * c.f
                WHEN c.r + 1 = c.below THEN 10 * c.prev + (c.g - c.prev) * c.f
                ELSE rs_quantile_x10(o.xs, c.q) END AS x10
    FROM ranked c
    LEFT JOIN sorted o ON o.ek = c.ek AND o.w = c.w
),
ends AS (
    SELECT k FROM rs_key
    WHERE mapk = $mapk AND kind = 'element' AND list_contains($ends::VARCHAR[], name)
),
dr AS (
    -- the first test needs no configured dwell (none is below the least of them, or zero) and
    -- leaves few arrivals to look it up for
    SELECT s.ck, count(DISTINCT s.mk) AS drop_off
    FROM cohort s LEFT JOIN conf f USING (ek)
    WHERE s.ck IS NOT NULL AND s.ek NOT IN (SELECT k FROM ends)
      AND (coalesce(s.left_exit, false)
           OR coalesce(s.left_us, epoch_us($now::TIMESTAMPTZ)) - s.at_us
              > $stall_us + least(0, list_min($conf_us::BIGINT[])))
      AND (coalesce(s.left_exit, false)
           OR coalesce(s.left_us, epoch_us($now::TIMESTAMPTZ)) - s.at_us
              > coalesce(CASE WHEN s.due_us IS NOT NULL THEN greatest(s.due_us - s.stay_us, 0)
                              ELSE f.conf_us END, 0) + $stall_us)
    GROUP BY s.ck
)
SELECT 'element' AS target, k.name AS id, c.nd AS dwell_n,
       (SELECT x10 FROM quantiles q WHERE q.ek = c.ek AND q.w = 'd' AND q.q = 5) AS median_x10,
       (SELECT x10 FROM quantiles q WHERE q.ek = c.ek AND q.w = 'd' AND q.q = 9) AS p90_x10,
       (SELECT x10 FROM quantiles q WHERE q.ek = c.ek AND q.w = 'c' AND q.q = 5) AS conf_x10,
       c.stuck, NULL::BIGINT AS drop_off
FROM counted c JOIN rs_key k ON k.k = c.ek
UNION ALL
SELECT 'connector', k.name, NULL, NULL, NULL, NULL, NULL, drop_off
FROM dr JOIN rs_key k ON k.k = dr.ck
ORDER BY target, id
