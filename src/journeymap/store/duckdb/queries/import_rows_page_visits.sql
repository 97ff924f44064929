-- Every row of page_visits, in a stable order (to read back what an import wrote).
SELECT * FROM page_visits ORDER BY occurred_at, visitor_id, url
