-- A JSON Lines file into the raw staging table: per line (blank lines skipped) what is wrong with
-- it as a whole (a line that is no object, or an object naming a key twice: 'repeated:<key>')
-- and the value of each key as JSON ($paths: a JSON pointer per key; the columns filled in as
-- `v[i] AS c<i-1>`).
CREATE OR REPLACE TEMP TABLE import_raw AS
SELECT CASE
           WHEN json_type(json) <> 'OBJECT' THEN 'not_object'
           WHEN len(keys) <> len(list_distinct(keys)) THEN 'repeated:' || list_filter(
               keys, lambda k, i: list_position(keys, k) < i
           )[1]
       END AS line_problem,
       {columns}
FROM (
    SELECT json, json_keys(json) AS keys, json_extract(json, $paths) AS v
    FROM read_ndjson_objects($path)
)
