-- Row numbers still staged, over every staging table (only one holds rows at a time).
WITH r AS (
    SELECT row_no FROM import_contacts
    UNION ALL SELECT row_no FROM import_purchases
    UNION ALL SELECT row_no FROM import_email_events
    UNION ALL SELECT row_no FROM import_page_visits
    UNION ALL SELECT row_no FROM import_marketing_costs
)
SELECT min(row_no) AS lo, max(row_no) AS hi, count(*) AS n FROM r
