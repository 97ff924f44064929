-- For the selected goal, per split and branch (a connector leaving the split), over the cohort:
-- contacts sent down that branch and no other of the split, and those of them who achieved the
-- goal after their first arrival at the split ("after" by sequence). Contacts sent down several
-- branches of one split (the map's weights changed while they went round again) come in one row
-- per split with connector_id NULL: the test leaves them out. {branches} and {branch_splits} are
-- parallel lists: each branch connector and the split it leaves.
WITH c AS (
    SELECT contact_id
    FROM jm_cohort(map_id = {map_id:String}, last_touch = {last_touch:Bool},
              from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
              utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
              utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
              utm_term = {utm_term:Nullable(String)})
),
b AS (
    SELECT x.1 AS connector_id, x.2 AS split_id
    FROM (SELECT arrayJoin(arrayZip({branches:Array(String)}, {branch_splits:Array(String)})) AS x)
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
g AS (
    SELECT contact_id, max(seq) AS last_seq
    FROM achievements
    WHERE map_id = {map_id:String} AND goal_id = {goal:String} AND contact_id IN c
    GROUP BY contact_id
)
SELECT s.split_id AS split_id, if(s.branches = 1, s.connector_id, NULL) AS connector_id,
       count() AS contacts, countIf(g.last_seq > p.first_seq) AS achievers
FROM sent s
LEFT JOIN passed p ON p.contact_id = s.contact_id AND p.split_id = s.split_id
LEFT JOIN g ON g.contact_id = s.contact_id
GROUP BY split_id, connector_id
SETTINGS join_use_nulls = 1
