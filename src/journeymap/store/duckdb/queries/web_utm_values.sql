-- UTM values of the contacts on a map, per field, for the page's filter: first touch (or last
-- touch), '(none)' standing for a missing value, with how many contacts carry each. The choices
-- of one field follow the other filters: first entry in [$lo, $hi) (NULL: open) and the values
-- chosen for the other four fields (NULL: any).
WITH m AS (
    SELECT
        coalesce(nullif(CASE WHEN $last_touch THEN last_utm_source ELSE first_utm_source END, ''), '(none)') AS source,
        coalesce(nullif(CASE WHEN $last_touch THEN last_utm_medium ELSE first_utm_medium END, ''), '(none)') AS medium,
        coalesce(nullif(CASE WHEN $last_touch THEN last_utm_campaign ELSE first_utm_campaign END, ''), '(none)') AS campaign,
        coalesce(nullif(CASE WHEN $last_touch THEN last_utm_content ELSE first_utm_content END, ''), '(none)') AS content,
        coalesce(nullif(CASE WHEN $last_touch THEN last_utm_term ELSE first_utm_term END, ''), '(none)') AS term
    FROM rs_member
    WHERE map_id = $map_id AND cohort_at IS NOT NULL
      AND ($lo::TIMESTAMPTZ IS NULL OR cohort_at >= $lo::TIMESTAMPTZ)
      AND ($hi::TIMESTAMPTZ IS NULL OR cohort_at < $hi::TIMESTAMPTZ)
), f AS (
    SELECT *,
        ($utm_source::VARCHAR IS NULL OR source = $utm_source::VARCHAR) AS ok_source,
        ($utm_medium::VARCHAR IS NULL OR medium = $utm_medium::VARCHAR) AS ok_medium,
        ($utm_campaign::VARCHAR IS NULL OR campaign = $utm_campaign::VARCHAR) AS ok_campaign,
        ($utm_content::VARCHAR IS NULL OR content = $utm_content::VARCHAR) AS ok_content,
        ($utm_term::VARCHAR IS NULL OR term = $utm_term::VARCHAR) AS ok_term
    FROM m
), v AS (
    SELECT 'source' AS field, source AS value FROM f
    WHERE ok_medium AND ok_campaign AND ok_content AND ok_term
    UNION ALL SELECT 'medium', medium FROM f
    WHERE ok_source AND ok_campaign AND ok_content AND ok_term
    UNION ALL SELECT 'campaign', campaign FROM f
    WHERE ok_source AND ok_medium AND ok_content AND ok_term
    UNION ALL SELECT 'content', content FROM f
    WHERE ok_source AND ok_medium AND ok_campaign AND ok_term
    UNION ALL SELECT 'term', term FROM f
    WHERE ok_source AND ok_medium AND ok_campaign AND ok_content
)
SELECT field, value, count(*) AS contacts
FROM v
GROUP BY ALL
ORDER BY field, contacts DESC, value
