-- Per URL pattern (glob, as page-visit triggers match: * any text, ? one character, [...] one
-- of a set, [!...] none of it): page visits in the date range whose own UTM matches the filter,
-- anonymous ones included, and distinct visitors among them.
WITH patterns AS (
    SELECT pattern,
           concat('^', replaceAll(replaceAll(replaceAll(
               replaceRegexpAll(pattern, '([.+^$(){}|\\\\])', '\\\\\\1'),
               '*', '.*'), '?', '.'), '[!', '[^'), '$') AS regex
    FROM (SELECT arrayJoin({patterns:Array(String)}) AS pattern)
)
SELECT p.pattern AS pattern, count() AS page_visits, uniqExact(v.visitor_id) AS unique_visitors
FROM page_visits v CROSS JOIN patterns p
WHERE match(v.url, p.regex)
  AND ({from:Nullable(DateTime64(6, 'UTC'))} IS NULL
       OR v.occurred_at >= {from:Nullable(DateTime64(6, 'UTC'))})
  AND ({to:Nullable(DateTime64(6, 'UTC'))} IS NULL
       OR v.occurred_at < {to:Nullable(DateTime64(6, 'UTC'))})
  AND arrayAll((want, v) -> want IS NULL OR want = coalesce(nullIf(v, ''), '(none)'),
               [{utm_source:Nullable(String)}, {utm_medium:Nullable(String)},
                {utm_campaign:Nullable(String)}, {utm_content:Nullable(String)},
                {utm_term:Nullable(String)}],
               [v.utm_source, v.utm_medium, v.utm_campaign, v.utm_content, v.utm_term])
GROUP BY p.pattern
