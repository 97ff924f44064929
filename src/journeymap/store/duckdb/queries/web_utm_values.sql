-- UTM values of the contacts on a map, per field, for the page's filter: first touch (or last
-- touch), '(none)' standing for a missing value, with how many contacts carry each.
WITH m AS (
    SELECT
        CASE WHEN $last_touch THEN last_utm_source ELSE first_utm_source END AS source,
        CASE WHEN $last_touch THEN last_utm_medium ELSE first_utm_medium END AS medium,
        CASE WHEN $last_touch THEN last_utm_campaign ELSE first_utm_campaign END AS campaign,
        CASE WHEN $last_touch THEN last_utm_content ELSE first_utm_content END AS content,
        CASE WHEN $last_touch THEN last_utm_term ELSE first_utm_term END AS term
    FROM rs_member
    WHERE map_id = $map_id AND cohort_at IS NOT NULL
), v AS (
    SELECT 'source' AS field, source AS value FROM m
    UNION ALL SELECT 'medium', medium FROM m
    UNION ALL SELECT 'campaign', campaign FROM m
    UNION ALL SELECT 'content', content FROM m
    UNION ALL SELECT 'term', term FROM m
)
SELECT field, coalesce(nullif(value, ''), '(none)') AS value, count(*) AS contacts
FROM v
GROUP BY ALL
ORDER BY field, value
