-- Bottlenecks over the cohort, from one pass over the jm_stays view. Per element ('element'
-- rows): completed stays and their dwell microseconds (median and 90th percentile times ten,
-- interpolated as report_goal_paths.sql), the configured dwell's median over every stay where
-- one is set, and stuck contacts: here now for longer than the stay's configured dwell plus
-- {grace_us} at {now}. Per connector ('connector' rows): distinct contacts who moved along it to
-- an element other than an end ({ends}) and then left the map from there (their next move away
-- was an exit) or sat there longer than the stay's configured dwell plus {stall_us} (until their
-- next move away, or until {now} when they are still there).
WITH s AS (
    SELECT *
    FROM jm_stays(map_id = {map_id:String}, last_touch = {last_touch:Bool},
             from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
             utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
             utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
             utm_term = {utm_term:Nullable(String)},
             ids = {ids:Array(String)}, conf_us = {conf_us:Array(Nullable(Int64))},
             now = {now:DateTime64(6, 'UTC')})
),
el AS (
    SELECT element_id,
           countIf(left_at IS NOT NULL) AS dwell_n,
           arraySort(groupArrayIf(us, left_at IS NOT NULL)) AS done,
           arraySort(groupArrayIf(assumeNotNull(conf_us), conf_us IS NOT NULL)) AS conf,
           uniqExactIf(contact_id, left_at IS NULL AND conf_us IS NOT NULL
                                   AND us > conf_us + {grace_us:Int64}) AS stuck
    FROM s
    WHERE connector_id IS NULL
    GROUP BY element_id
),
dr AS (
    SELECT assumeNotNull(connector_id) AS connector_id,
           uniqExactIf(contact_id, left_kind = 'exit'
                                   OR us > coalesce(conf_us, 0) + {stall_us:Int64}) AS drop_off
    FROM s
    WHERE connector_id IS NOT NULL AND NOT has({ends:Array(String)}, element_id)
    GROUP BY connector_id
)
SELECT * FROM (
SELECT 'element' AS target, element_id AS id, toNullable(dwell_n) AS dwell_n,
       if(dwell_n > 0, jm_quantile_x10(done, 5), NULL) AS median_x10,
       if(dwell_n > 0, jm_quantile_x10(done, 9), NULL) AS p90_x10,
       if(length(conf) > 0, jm_quantile_x10(conf, 5), NULL) AS conf_x10,
       toNullable(stuck) AS stuck, CAST(NULL, 'Nullable(UInt64)') AS drop_off
FROM el
UNION ALL
SELECT 'connector', connector_id, NULL, NULL, NULL, NULL, NULL, drop_off
FROM dr
)
ORDER BY target, id
