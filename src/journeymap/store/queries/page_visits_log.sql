SELECT visitor_id, contact_id, url, utm_source, utm_medium, utm_campaign, utm_content, utm_term,
       occurred_at
FROM page_visits
ORDER BY occurred_at, visitor_id
