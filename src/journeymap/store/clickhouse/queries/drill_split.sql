-- Drill-down of a split test, over the cohort, as report_split_test.sql counts it: {mode}
-- 'sent' lists the contacts sent down {connector_id} and no other branch of {split_id}
-- ({branches}: every connector leaving it), 'achievers' those of them who achieved {goal} after
-- their first arrival at the split, 'crossed' the contacts sent down several branches, 'tested'
-- everyone sent down exactly one. at: first arrival at the split (the move down a branch follows
-- at once); value: for achievers the seconds from that arrival to their first achievement after
-- it, for crossed contacts the number of branches they took.
WITH c AS (
    SELECT contact_id
    FROM jm_cohort(map_id = {map_id:String}, last_touch = {last_touch:Bool},
              from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
              utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
              utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
              utm_term = {utm_term:Nullable(String)})
),
b AS (
    SELECT arrayJoin({branches:Array(String)}) AS connector_id, {split_id:String} AS split_id
),
sent AS (
    SELECT t.contact_id AS contact_id, b.split_id AS split_id,
           any(b.connector_id) AS connector_id, uniqExact(b.connector_id) AS branches
    FROM transitions t JOIN b ON b.connector_id = t.connector_id
    WHERE t.map_id = {map_id:String} AND t.contact_id IN c
    GROUP BY t.contact_id, b.split_id
),
passed AS (
    SELECT contact_id, assumeNotNull(to_element) AS split_id, min(seq) AS first_seq,
           argMin(occurred_at, seq) AS first_at
    FROM transitions
    WHERE map_id = {map_id:String} AND to_element IN (SELECT split_id FROM b)
      AND contact_id IN c
    GROUP BY contact_id, split_id
),
joined AS (
    SELECT s.contact_id AS contact_id, s.connector_id AS connector_id, s.branches AS branches,
           p.first_seq AS first_seq, p.first_at AS first_at
    FROM sent s JOIN passed p ON p.contact_id = s.contact_id AND p.split_id = s.split_id
),
achieved AS (
    SELECT j.contact_id AS contact_id, argMin(a.occurred_at, a.seq) AS achieved_at
    FROM joined j JOIN achievements a ON a.contact_id = j.contact_id
    WHERE a.map_id = {map_id:String} AND a.goal_id = {goal:Nullable(String)}
      AND a.seq > j.first_seq AND j.branches = 1
      AND j.connector_id = {connector_id:Nullable(String)}
    GROUP BY j.contact_id
),
hit AS (
    SELECT j.contact_id AS contact_id, j.first_at AS at,
           multiIf({mode:String} = 'achievers',
                   (toInt64(toUnixTimestamp64Micro(x.achieved_at))
                    - toInt64(toUnixTimestamp64Micro(j.first_at))) / 1e6,
                   {mode:String} = 'crossed', toFloat64(j.branches), NULL) AS value
    FROM joined j LEFT JOIN achieved x ON x.contact_id = j.contact_id
    WHERE multiIf({mode:String} = 'sent',
                  j.branches = 1 AND j.connector_id = {connector_id:Nullable(String)},
                  {mode:String} = 'achievers', x.achieved_at IS NOT NULL,
                  {mode:String} = 'crossed', j.branches > 1,
                  j.branches = 1)
    SETTINGS join_use_nulls = 1
)
-- (the page of contacts: drill_page.sql)
