-- Bottlenecks over the cohort, from the stays summary (rs_stay_of, summary_stays.sql). Per
-- element ('element' rows): completed stays and their dwell microseconds (median and 90th
-- percentile times ten, rs_quantile_x10), the configured dwell's median over every stay where one
-- is set (a wait's due time less the stay's start, else the element's from $ids / $conf_us), and
-- stuck contacts: here now for longer than the stay's configured dwell plus $grace_us at $now.
-- Per connector ('connector' rows): distinct contacts who moved along it to an element other than
-- an end ($ends), and those who then left the map from there (their next move away was an exit)
-- or sat there longer than the stay's configured dwell plus $stall_us (until their next move
-- away, or until $now when they are still there).
WITH conf AS (
    SELECT k.k AS ek, x.conf_us
    FROM (SELECT unnest($ids::VARCHAR[]) AS element_id, unnest($conf_us::BIGINT[]) AS conf_us) x
    JOIN rs_key k ON k.mapk = $mapk AND k.kind = 'element' AND k.name = x.element_id
),
ends AS (
    SELECT k FROM rs_key
    WHERE mapk = $mapk AND kind = 'element' AND list_contains($ends::VARCHAR[], name)
),
s AS (
    SELECT s.ek, s.ck, s.mk, s.left_us, s.left_exit,
           CASE WHEN s.due_us IS NOT NULL THEN greatest(s.due_us - s.stay_us, 0)
                ELSE f.conf_us END AS conf_us,
           coalesce(s.left_us, epoch_us($now::TIMESTAMPTZ)) - s.at_us AS us
    FROM rs_stay_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                    $l1, $l2, $l3, $l4, $l5) s
    LEFT JOIN conf f USING (ek)
),
el AS (
    SELECT ek,
           count(*) FILTER (WHERE left_us IS NOT NULL) AS dwell_n,
           list(us ORDER BY us) FILTER (WHERE left_us IS NOT NULL) AS done_us,
           list(conf_us ORDER BY conf_us) FILTER (WHERE conf_us IS NOT NULL) AS conf_sorted,
           count(DISTINCT mk) FILTER (
               WHERE left_us IS NULL AND conf_us IS NOT NULL AND us > conf_us + $grace_us
           ) AS stuck
    FROM s
    WHERE ck IS NULL
    GROUP BY ek
),
dr AS (
    SELECT ck, count(DISTINCT mk) AS contacts,
           count(DISTINCT mk) FILTER (
               WHERE left_exit OR us > coalesce(conf_us, 0) + $stall_us
           ) AS drop_off
    FROM s
    WHERE ck IS NOT NULL AND ek NOT IN (SELECT k FROM ends)
    GROUP BY ck
)
SELECT 'element' AS target, k.name AS id, dwell_n,
       CASE WHEN dwell_n > 0 THEN rs_quantile_x10(done_us, 5) END AS median_x10,
       CASE WHEN dwell_n > 0 THEN rs_quantile_x10(done_us, 9) END AS p90_x10,
       CASE WHEN len(conf_sorted) > 0 THEN rs_quantile_x10(conf_sorted, 5) END AS conf_x10,
       stuck, NULL::BIGINT AS contacts, NULL::BIGINT AS drop_off
FROM el JOIN rs_key k ON k.k = el.ek
UNION ALL
SELECT 'connector', k.name, NULL, NULL, NULL, NULL, NULL, contacts, drop_off
FROM dr JOIN rs_key k ON k.k = dr.ck
ORDER BY target, id
