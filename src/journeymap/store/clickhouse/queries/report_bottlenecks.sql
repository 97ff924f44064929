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
g AS (
    -- one pass over s (each reference to it would plan the view again): a group per element
    -- from the stays' own rows, and per connector from arrivals along it to non-end elements
    SELECT if(connector_id IS NULL, 'element', 'connector') AS target,
           if(connector_id IS NULL, element_id, assumeNotNull(connector_id)) AS id,
           countIf(left_at IS NOT NULL) AS n,
           arraySort(groupArrayIf(us, left_at IS NOT NULL)) AS done,
           arraySort(groupArrayIf(assumeNotNull(conf_us), conf_us IS NOT NULL)) AS conf,
           uniqExactIf(contact_id, left_at IS NULL AND conf_us IS NOT NULL
                                   AND us > conf_us + {grace_us:Int64}) AS stuck_n,
           uniqExactIf(contact_id, left_kind = 'exit'
                                   OR us > coalesce(conf_us, 0) + {stall_us:Int64}) AS drop_n
    FROM s
    WHERE connector_id IS NULL OR NOT has({ends:Array(String)}, element_id)
    GROUP BY target, id
)
SELECT target, id,
       if(target = 'element', toNullable(n), NULL) AS dwell_n,
       if(target = 'element' AND n > 0, jm_quantile_x10(done, 5), NULL) AS median_x10,
       if(target = 'element' AND n > 0, jm_quantile_x10(done, 9), NULL) AS p90_x10,
       if(target = 'element' AND length(conf) > 0, jm_quantile_x10(conf, 5), NULL) AS conf_x10,
       if(target = 'element', toNullable(stuck_n), NULL) AS stuck,
       if(target = 'connector', toNullable(drop_n), NULL) AS drop_off
FROM g
ORDER BY target, id
