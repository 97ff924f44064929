-- Baseline for bench/reports.py: page visits and unique visitors per URL pattern (glob) by
-- straightforward SQL over the raw page visits, UTM of the visit itself as filtered.
SELECT p.pattern, count(*) AS page_visits, count(DISTINCT v.visitor_id) AS unique_visitors
FROM page_visits v
JOIN (SELECT unnest($patterns::VARCHAR[]) AS pattern) p ON v.url GLOB p.pattern
WHERE ($from::TIMESTAMPTZ IS NULL OR v.occurred_at >= $from::TIMESTAMPTZ)
  AND ($to::TIMESTAMPTZ IS NULL OR v.occurred_at < $to::TIMESTAMPTZ)
  AND ($utm_source::VARCHAR IS NULL
       OR coalesce(nullif(v.utm_source, ''), '(none)') = $utm_source::VARCHAR)
  AND ($utm_medium::VARCHAR IS NULL
       OR coalesce(nullif(v.utm_medium, ''), '(none)') = $utm_medium::VARCHAR)
  AND ($utm_campaign::VARCHAR IS NULL
       OR coalesce(nullif(v.utm_campaign, ''), '(none)') = $utm_campaign::VARCHAR)
  AND ($utm_content::VARCHAR IS NULL
       OR coalesce(nullif(v.utm_content, ''), '(none)') = $utm_content::VARCHAR)
  AND ($utm_term::VARCHAR IS NULL
       OR coalesce(nullif(v.utm_term, ''), '(none)') = $utm_term::VARCHAR)
GROUP BY p.pattern
