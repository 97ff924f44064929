-- Skip staged page visits the store already holds: per natural key (every column) the first n
-- copies in the file are dropped, n being the store's count.
DELETE FROM import_page_visits WHERE row_no IN (
    SELECT s.row_no
    FROM (
        SELECT *, row_number() OVER (
            PARTITION BY visitor_id, contact_id, url, utm_source, utm_medium, utm_campaign,
                         utm_content, utm_term, occurred_at
            ORDER BY row_no
        ) AS copy
        FROM import_page_visits
    ) s
    JOIN (
        SELECT visitor_id, contact_id, url, utm_source, utm_medium, utm_campaign, utm_content,
               utm_term, occurred_at, count(*) AS n
        FROM page_visits
        WHERE visitor_id IN (SELECT visitor_id FROM import_page_visits)
        GROUP BY ALL
    ) p
        ON s.visitor_id = p.visitor_id AND s.contact_id IS NOT DISTINCT FROM p.contact_id
       AND s.url = p.url AND s.occurred_at = p.occurred_at
       AND s.utm_source IS NOT DISTINCT FROM p.utm_source
       AND s.utm_medium IS NOT DISTINCT FROM p.utm_medium
       AND s.utm_campaign IS NOT DISTINCT FROM p.utm_campaign
       AND s.utm_content IS NOT DISTINCT FROM p.utm_content
       AND s.utm_term IS NOT DISTINCT FROM p.utm_term
    WHERE s.copy <= p.n
)
