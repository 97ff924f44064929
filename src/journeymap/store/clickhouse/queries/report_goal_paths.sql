-- For the selected goal, per element E, over the cohort (the jm_goal_paths view): contacts who
-- visited E and later achieved the goal, and the time from their first arrival at E to the
-- first achievement after it. Times stay whole microseconds: their total, and the median and
-- 90th percentile times ten (jm_quantile_x10).
WITH s AS (
    SELECT element_id, count() AS n, sum(toDecimal128(us, 0)) AS total_us,
           arraySort(groupArray(us)) AS sorted
    FROM jm_goal_paths(map_id = {map_id:String}, last_touch = {last_touch:Bool},
                  from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
                  utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
                  utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
                  utm_term = {utm_term:Nullable(String)},
                  goal = {goal:String})
    GROUP BY element_id
)
SELECT element_id, n, total_us, jm_quantile_x10(sorted, 5) AS median_us_x10,
       jm_quantile_x10(sorted, 9) AS p90_us_x10
FROM s
