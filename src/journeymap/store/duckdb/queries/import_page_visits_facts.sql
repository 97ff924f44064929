-- The staged page visits as rows of the page_visits table, in file order.
SELECT visitor_id, contact_id, url, utm_source, utm_medium, utm_campaign, utm_content, utm_term,
       occurred_at
FROM import_page_visits ORDER BY row_no
