-- A report's cohort filters as summary keys, bound into every report_* query: the map's key,
-- first entry within [lo, hi) in epoch microseconds, and the UTM codes asked for, first touch in
-- c1..c5 or last touch in l1..l5 (NULL: no filter; -1: a value no contact has).
WITH want AS (
    SELECT i, CASE WHEN v IS NULL THEN NULL
                   ELSE coalesce((SELECT u FROM rs_utm WHERE value = v), -1) END AS code
    FROM (SELECT unnest([$utm_source::VARCHAR, $utm_medium::VARCHAR, $utm_campaign::VARCHAR,
                         $utm_content::VARCHAR, $utm_term::VARCHAR]) AS v,
                 generate_subscripts([1, 2, 3, 4, 5], 1) AS i)
),
c AS (SELECT list(code ORDER BY i) AS codes FROM want)
SELECT coalesce(rs_key_of($map_id, 'map', $map_id), -1) AS mapk,
       coalesce(epoch_us($from::TIMESTAMPTZ), -9223372036854775807)::BIGINT AS lo,
       coalesce(epoch_us($to::TIMESTAMPTZ), 9223372036854775807)::BIGINT AS hi,
       $last_touch::BOOLEAN AS last_touch,
       CASE WHEN NOT $last_touch THEN codes[1] END AS c1,
       CASE WHEN NOT $last_touch THEN codes[2] END AS c2,
       CASE WHEN NOT $last_touch THEN codes[3] END AS c3,
       CASE WHEN NOT $last_touch THEN codes[4] END AS c4,
       CASE WHEN NOT $last_touch THEN codes[5] END AS c5,
       CASE WHEN $last_touch THEN codes[1] END AS l1,
       CASE WHEN $last_touch THEN codes[2] END AS l2,
       CASE WHEN $last_touch THEN codes[3] END AS l3,
       CASE WHEN $last_touch THEN codes[4] END AS l4,
       CASE WHEN $last_touch THEN codes[5] END AS l5
FROM c
