-- For the selected goal, per element E, over the cohort: contacts who visited E and later
-- achieved the goal (an achievement after their first arrival at E, by sequence), and the time
-- from that first arrival to the first such achievement. Times stay whole microseconds: their
-- total, and the median and 90th percentile times ten, interpolated linearly between the values
-- at ranks floor((n-1)q) and the one after (numpy's default) in exact integers.
WITH c AS (
    SELECT contact_id
    FROM jm_cohort(map_id = {map_id:String}, last_touch = {last_touch:Bool},
                   from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
                   utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
                   utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
                   utm_term = {utm_term:Nullable(String)})
),
arrivals AS (
    SELECT contact_id, assumeNotNull(to_element) AS element_id, min(seq) AS arrived_seq,
           argMin(occurred_at, seq) AS arrived_at
    FROM transitions
    WHERE map_id = {map_id:String} AND to_element IS NOT NULL AND contact_id IN c
    GROUP BY contact_id, element_id
),
reached AS (
    SELECT contact_id, seq, occurred_at
    FROM achievements
    WHERE map_id = {map_id:String} AND goal_id = {goal:String} AND contact_id IN c
),
spans AS (
    SELECT a.element_id AS element_id,
           toInt64(toUnixTimestamp64Micro(argMin(r.occurred_at, r.seq)))
               - toInt64(toUnixTimestamp64Micro(min(a.arrived_at))) AS us
    FROM arrivals a JOIN reached r ON r.contact_id = a.contact_id
    WHERE r.seq > a.arrived_seq
    GROUP BY a.element_id, a.contact_id
),
s AS (
    SELECT element_id, count() AS n, sum(toDecimal128(us, 0)) AS total_us,
           arraySort(groupArray(us)) AS sorted
    FROM spans
    GROUP BY element_id
)
SELECT element_id, n, total_us,
       10 * sorted[intDiv((n - 1) * 5, 10) + 1]
           + (sorted[least(intDiv((n - 1) * 5, 10) + 2, n)] - sorted[intDiv((n - 1) * 5, 10) + 1])
             * ((n - 1) * 5 % 10) AS median_us_x10,
       10 * sorted[intDiv((n - 1) * 9, 10) + 1]
           + (sorted[least(intDiv((n - 1) * 9, 10) + 2, n)] - sorted[intDiv((n - 1) * 9, 10) + 1])
             * ((n - 1) * 9 % 10) AS p90_us_x10
FROM s
