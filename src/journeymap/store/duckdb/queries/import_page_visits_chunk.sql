SELECT visitor_id, contact_id, url, utm_source, utm_medium, utm_campaign, utm_content, utm_term,
       occurred_at
FROM import_page_visits WHERE row_no BETWEEN $lo AND $hi ORDER BY row_no
