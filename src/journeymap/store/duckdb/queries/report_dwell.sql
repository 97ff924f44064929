-- Bottlenecks per element, over the cohort (rs_stays_of): completed stays and their dwell
-- microseconds (median and 90th percentile times ten, rs_quantile_x10), the configured dwell's
-- median over every stay where one is set, and stuck contacts: here now for longer than the
-- stay's configured dwell plus $grace_us at $now.
WITH s AS (
    SELECT element_id, mk, arrived_at, left_at, conf_us,
           epoch_us(coalesce(left_at, $now::TIMESTAMPTZ)) - epoch_us(arrived_at) AS us
    FROM rs_stays_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                     $l1, $l2, $l3, $l4, $l5, $ids, $conf_us)
    WHERE connector_id IS NULL
),
agg AS (
    SELECT element_id,
           count(*) FILTER (WHERE left_at IS NOT NULL) AS dwell_n,
           list(us ORDER BY us) FILTER (WHERE left_at IS NOT NULL) AS done_us,
           list(conf_us ORDER BY conf_us) FILTER (WHERE conf_us IS NOT NULL) AS conf_sorted,
           count(DISTINCT mk) FILTER (
               WHERE left_at IS NULL AND conf_us IS NOT NULL AND us > conf_us + $grace_us
           ) AS stuck
    FROM s
    GROUP BY element_id
)
SELECT element_id, dwell_n,
       CASE WHEN dwell_n > 0 THEN rs_quantile_x10(done_us, 5) END AS median_x10,
       CASE WHEN dwell_n > 0 THEN rs_quantile_x10(done_us, 9) END AS p90_x10,
       CASE WHEN len(conf_sorted) > 0 THEN rs_quantile_x10(conf_sorted, 5) END AS conf_x10,
       stuck
FROM agg
ORDER BY element_id
