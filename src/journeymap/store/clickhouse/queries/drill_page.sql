-- The page every drill_*.sql query ends in: the contacts its `hit` lists (contact_id, at, value)
-- with when each was created and its first-touch UTM, the whole list's length, in a stable
-- order, {limit} (NULL: all) from {offset}.
SELECT h.contact_id AS contact_id, k.created_at AS created_at,
       k.first_utm_source AS first_utm_source, k.first_utm_medium AS first_utm_medium,
       k.first_utm_campaign AS first_utm_campaign, k.first_utm_content AS first_utm_content,
       k.first_utm_term AS first_utm_term, h.at AS at, h.value AS value, count() OVER () AS total
FROM hit h
LEFT JOIN (SELECT * FROM contacts FINAL) k ON k.contact_id = h.contact_id
ORDER BY at ASC NULLS LAST, contact_id
LIMIT ifNull({limit:Nullable(Int64)}, 9223372036854775807) OFFSET {offset:Int64}
SETTINGS join_use_nulls = 1
