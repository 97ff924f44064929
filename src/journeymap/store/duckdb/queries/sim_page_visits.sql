-- Every page visit in time order; contact_id is null while the visitor is anonymous.
SELECT visitor_id, contact_id, url, utm_source, occurred_at FROM page_visits
ORDER BY occurred_at, visitor_id
