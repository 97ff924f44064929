-- Bottlenecks over the cohort, from one pass over rs_stays_of. Per element ('element' rows):
-- completed stays and their dwell microseconds (median and 90th percentile times ten,
-- rs_quantile_x10), the configured dwell's median over every stay where one is set, and stuck
-- contacts: here now for longer than the stay's configured dwell plus $grace_us at $now. Per
-- connector ('connector' rows): distinct contacts who moved along it to an element other than
-- an end ($ends), and those who then left the map from there (their next move away was an
-- exit) or sat there longer than the stay's configured dwell plus $stall_us (until their next
-- move away, or until $now when they are still there).
WITH s AS MATERIALIZED (
    SELECT mk, element_id, connector_id, left_at, left_kind, conf_us,
           epoch_us(coalesce(left_at, $now::TIMESTAMPTZ)) - epoch_us(arrived_at) AS us
    FROM rs_stays_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                     $l1, $l2, $l3, $l4, $l5, $ids, $conf_us)
),
el AS (
    SELECT element_id,
           count(*) FILTER (WHERE left_at IS NOT NULL) AS dwell_n,
           list(us ORDER BY us) FILTER (WHERE left_at IS NOT NULL) AS done_us,
           list(conf_us ORDER BY conf_us) FILTER (WHERE conf_us IS NOT NULL) AS conf_sorted,
           count(DISTINCT mk) FILTER (
               WHERE left_at IS NULL AND conf_us IS NOT NULL AND us > conf_us + $grace_us
           ) AS stuck
    FROM s
    WHERE connector_id IS NULL
    GROUP BY element_id
),
dr AS (
    SELECT connector_id, count(DISTINCT mk) AS contacts,
           count(DISTINCT mk) FILTER (
               WHERE left_kind = 'exit' OR us > coalesce(conf_us, 0) + $stall_us
           ) AS drop_off
    FROM s
    WHERE connector_id IS NOT NULL AND NOT list_contains($ends, element_id)
    GROUP BY connector_id
)
SELECT 'element' AS target, element_id AS id, dwell_n,
       CASE WHEN dwell_n > 0 THEN rs_quantile_x10(done_us, 5) END AS median_x10,
       CASE WHEN dwell_n > 0 THEN rs_quantile_x10(done_us, 9) END AS p90_x10,
       CASE WHEN len(conf_sorted) > 0 THEN rs_quantile_x10(conf_sorted, 5) END AS conf_x10,
       stuck, NULL::BIGINT AS contacts, NULL::BIGINT AS drop_off
FROM el
UNION ALL
SELECT 'connector', connector_id, NULL, NULL, NULL, NULL, NULL, contacts, drop_off
FROM dr
ORDER BY target, id
