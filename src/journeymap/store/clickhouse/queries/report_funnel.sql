-- Funnel Conversion over the cohort: per step element, the contacts whose match for its step was
-- there ('reached') and those who took its step directly there ('direct'). A step occurs at
-- every arrival at one of its non-goal elements and every achievement of one of its goals (at
-- most 10 steps and 1,024 elements). A contact reaches step k when it has an occurrence of every
-- step 1..k in order, each after the one matched for the step before, matching the earliest;
-- it takes step k > 1 directly when its first occurrence of step k comes before any of step
-- k-1. An occurrence travels as seq * 1024 + the element's position in step_names.
WITH c AS (
    SELECT contact_id
    FROM jm_cohort(map_id = {map_id:String}, last_touch = {last_touch:Bool},
                   from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
                   utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
                   utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
                   utm_term = {utm_term:Nullable(String)})
),
steps AS (
    SELECT s.1 AS name, s.2 AS k, s.3 AS pos, has({goal_steps:Array(String)}, s.1) AS is_goal
    FROM (
        SELECT arrayJoin(arrayZip({step_names:Array(String)}, {step_numbers:Array(Int64)},
                                  range(length({step_names:Array(String)})))) AS s
    )
),
occ AS (
    SELECT t.contact_id AS contact_id, s.k AS k, t.seq * 1024 + s.pos AS o
    FROM transitions t JOIN steps s ON s.name = t.to_element
    WHERE t.map_id = {map_id:String} AND NOT s.is_goal AND t.contact_id IN c
    UNION ALL
    SELECT a.contact_id, s.k, a.seq * 1024 + s.pos
    FROM achievements a JOIN steps s ON s.name = a.goal_id
    WHERE a.map_id = {map_id:String} AND s.is_goal AND a.contact_id IN c
),
per AS (
    -- per contact, each step's occurrences in order (0 below: none)
    SELECT contact_id,
           arrayMap(j -> arraySort(arrayFilter(x -> x.1 = j, groupArray((k, o)))), range(1, 11))
               AS by_step
    FROM occ
    GROUP BY contact_id
),
walked AS (
    SELECT contact_id,
           arrayMap(r -> arrayMap(x -> x.2, r), by_step) AS r,
           arrayMap(x -> if(empty(x), 0, x[1]), r) AS first,
           arrayFold((acc, j) -> arrayPushBack(acc,
                        if(acc[j - 1] = 0, 0, arrayFirst(x -> x > acc[j - 1], r[j]))),
                     range(2, 11), [if(empty(r[1]), 0, r[1][1])]) AS matched
    FROM per
)
SELECT {step_names:Array(String)}[o % 1024 + 1] AS element_id, k AS step, took,
       count() AS contacts
FROM (
    SELECT o, k, took
    FROM walked
    ARRAY JOIN
        arrayConcat(
            arrayMap(j -> (matched[j], j, 'reached'), range(1, 11)),
            arrayMap(j -> (if(first[j] != 0 AND NOT (first[j - 1] != 0
                                   AND intDiv(first[j - 1], 1024) < intDiv(first[j], 1024)),
                              first[j], 0), j, 'direct'), range(2, 11))
        ) AS x
    ARRAY JOIN [x.1] AS o, [x.2] AS k, [x.3] AS took
)
WHERE o != 0
GROUP BY element_id, step, took
ORDER BY step, element_id, took
