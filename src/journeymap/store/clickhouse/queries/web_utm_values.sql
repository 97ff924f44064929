-- UTM values of the contacts on a map, per field, for the page's filter: first touch (or last
-- touch), '(none)' standing for a missing value (or no contact row), with how many contacts
-- carry each. The choices of one field follow the other filters: first entry in [{lo}, {hi})
-- (NULL: open) and the values chosen for the other four fields (NULL: any).
WITH m AS (
    SELECT arrayMap(v -> coalesce(nullIf(v, ''), '(none)'),
                    if(empty(c.touch), [NULL, NULL, NULL, NULL, NULL], c.touch)) AS v
    FROM (
        SELECT contact_id, min(occurred_at) AS cohort_at
        FROM transitions
        WHERE map_id = {map_id:String} AND kind = 'enter'
        GROUP BY contact_id
    ) AS e
    LEFT JOIN (
        SELECT contact_id,
               if({last_touch:Bool},
                  [last_utm_source, last_utm_medium, last_utm_campaign, last_utm_content,
                   last_utm_term],
                  [first_utm_source, first_utm_medium, first_utm_campaign, first_utm_content,
                   first_utm_term]) AS touch
        FROM contacts FINAL
    ) AS c ON c.contact_id = e.contact_id
    WHERE ({lo:Nullable(DateTime64(6, 'UTC'))} IS NULL
           OR e.cohort_at >= {lo:Nullable(DateTime64(6, 'UTC'))})
      AND ({hi:Nullable(DateTime64(6, 'UTC'))} IS NULL
           OR e.cohort_at < {hi:Nullable(DateTime64(6, 'UTC'))})
    SETTINGS join_use_nulls = 1
),
f AS (
    SELECT v,
           arrayMap((want, x) -> want IS NULL OR want = x,
                    [{utm_source:Nullable(String)}, {utm_medium:Nullable(String)},
                     {utm_campaign:Nullable(String)}, {utm_content:Nullable(String)},
                     {utm_term:Nullable(String)}], v) AS ok
    FROM m
),
per AS (
    -- one row per contact and field whose other four filters it meets
    SELECT ['source', 'medium', 'campaign', 'content', 'term'][i] AS field, v[i] AS value
    FROM f
    ARRAY JOIN range(1, 6) AS i
    WHERE arrayAll(j -> j = i OR ok[j], range(1, 6))
)
SELECT field, assumeNotNull(value) AS value, count() AS contacts
FROM per
GROUP BY field, value
ORDER BY field, contacts DESC, value
