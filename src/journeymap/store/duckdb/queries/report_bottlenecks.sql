-- Bottlenecks over the cohort, from the stays summary (rs_stay_of, summary_stays.sql). Per
-- element ('element' rows): completed stays and their dwell microseconds (median and 90th
-- percentile times ten, as rs_quantile_x10 interpolates), the configured dwell's median over
-- every stay where one is set (a wait's due time less the stay's start, else the element's from
-- $ids / $conf_us), and stuck contacts: here now for longer than the stay's configured dwell plus
-- $grace_us at $now.
-- Per connector ('connector' rows): distinct contacts who moved along it to an element other than
-- an end ($ends), and those who then left the map from there (their next move away was an exit)
-- or sat there longer than the stay's configured dwell plus $stall_us (until their next move
-- away, or until $now when they are still there).
-- Each order statistic is found exactly without sorting: quantile_disc guesses the value at the
-- rank the interpolation starts from, counts confirm the rank (else that element's values are
-- sorted into a list, rs_quantile_x10), and the next value up is the guess again while equal
-- values last, else the smallest value above it.
WITH conf AS (
    SELECT k.k AS ek, x.conf_us
    FROM (SELECT unnest($ids::VARCHAR[]) AS element_id, unnest($conf_us::BIGINT[]) AS conf_us) x
    JOIN rs_key k ON k.mapk = $mapk AND k.kind = 'element' AND k.name = x.element_id
),
ends AS (
    SELECT k FROM rs_key
    WHERE mapk = $mapk AND kind = 'element' AND list_contains($ends::VARCHAR[], name)
),
s AS MATERIALIZED (
    SELECT s.ek, s.ck, s.mk, s.left_us, s.left_exit,
           CASE WHEN s.due_us IS NOT NULL THEN greatest(s.due_us - s.stay_us, 0)
                ELSE f.conf_us END AS conf_us,
           coalesce(s.left_us, epoch_us($now::TIMESTAMPTZ)) - s.at_us AS us
    FROM rs_stay_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                    $l1, $l2, $l3, $l4, $l5) s
    LEFT JOIN conf f USING (ek)
),
vals AS NOT MATERIALIZED (  -- read three times from s: cheaper than a second copy of 18 M values
    -- 'd': completed stays' microseconds; 'c': configured dwell of every stay with one
    SELECT ek, 'd' AS w, us AS x FROM s WHERE ck IS NULL AND left_us IS NOT NULL
    UNION ALL
    SELECT ek, 'c', conf_us FROM s WHERE ck IS NULL AND conf_us IS NOT NULL
),
guess AS (
    SELECT ek, w, count(*) AS n, quantile_disc(x, [0.5, 0.9]) AS g FROM vals GROUP BY ek, w
),
counted AS (
    -- per guess (g1: the median's, g2: the 90th percentile's): values below it, up to it, and
    -- the smallest above it
    SELECT v.ek, v.w, any_value(g.n) AS n, any_value(g.g[1]) AS g1, any_value(g.g[2]) AS g2,
           count(*) FILTER (WHERE v.x < g.g[1]) AS below1,
           count(*) FILTER (WHERE v.x <= g.g[1]) AS upto1,
           min(v.x) FILTER (WHERE v.x > g.g[1]) AS above1,
           count(*) FILTER (WHERE v.x < g.g[2]) AS below2,
           count(*) FILTER (WHERE v.x <= g.g[2]) AS upto2,
           min(v.x) FILTER (WHERE v.x > g.g[2]) AS above2
    FROM vals v JOIN guess g ON g.ek = v.ek AND g.w = v.w
    GROUP BY v.ek, v.w
),
checked AS (
    SELECT ek, w, 5 AS q, n, g1 AS x, (n - 1) * 5 // 10 AS r, below1 AS below, upto1 AS upto,
           above1 AS above
    FROM counted
    UNION ALL
    SELECT ek, w, 9, n, g2, (n - 1) * 9 // 10, below2, upto2, above2
    FROM counted WHERE w = 'd'
),
sorted AS (
    SELECT ek, w, list(x ORDER BY x) AS xs
    FROM vals
    WHERE (ek, w) IN (SELECT (ek, w) FROM checked WHERE NOT (below <= r AND r < upto))
    GROUP BY ek, w
),
quantiles AS (
    SELECT c.ek, c.w, c.q, c.n,
           CASE WHEN c.below <= c.r AND c.r < c.upto
                THEN 10 * c.x + ((CASE WHEN c.r + 1 < c.upto THEN c.x
                                       ELSE coalesce(c.above, c.x) END) - c.x)
                                * ((c.n - 1) * c.q % 10)
                ELSE rs_quantile_x10(o.xs, c.q) END AS x10
    FROM checked c
    LEFT JOIN sorted o ON o.ek = c.ek AND o.w = c.w
),
el AS (
    -- a member holds at most one open stay on an element: stuck stays are stuck contacts
    SELECT ek,
           count(*) FILTER (WHERE left_us IS NOT NULL) AS dwell_n,
           count(*) FILTER (
               WHERE left_us IS NULL AND conf_us IS NOT NULL AND us > conf_us + $grace_us
           ) AS stuck
    FROM s
    WHERE ck IS NULL
    GROUP BY ek
),
moved AS (
    SELECT ck, mk,
           bool_or(coalesce(left_exit, false) OR us > coalesce(conf_us, 0) + $stall_us) AS dropped
    FROM s
    WHERE ck IS NOT NULL AND ek NOT IN (SELECT k FROM ends)
    GROUP BY ck, mk
),
dr AS (
    SELECT ck, count(*) AS contacts, count(*) FILTER (WHERE dropped) AS drop_off
    FROM moved
    GROUP BY ck
)
SELECT 'element' AS target, k.name AS id, dwell_n,
       (SELECT x10 FROM quantiles q WHERE q.ek = el.ek AND q.w = 'd' AND q.q = 5) AS median_x10,
       (SELECT x10 FROM quantiles q WHERE q.ek = el.ek AND q.w = 'd' AND q.q = 9) AS p90_x10,
       (SELECT x10 FROM quantiles q WHERE q.ek = el.ek AND q.w = 'c' AND q.q = 5) AS conf_x10,
       stuck, NULL::BIGINT AS contacts, NULL::BIGINT AS drop_off
FROM el JOIN rs_key k ON k.k = el.ek
UNION ALL
SELECT 'connector', k.name, NULL, NULL, NULL, NULL, NULL, contacts, drop_off
FROM dr JOIN rs_key k ON k.k = dr.ck
ORDER BY target, id
