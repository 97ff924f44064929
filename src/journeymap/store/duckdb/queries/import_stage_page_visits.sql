-- The typed rows of a page visits file, staged (the visitor is the contact when not given), with
-- the first rule each breaks (importer/rules.py; NULL: none), and the contacts they name with when.
CREATE OR REPLACE TEMP TABLE import_page_visits AS
SELECT row_no, coalesce(visitor_id, contact_id) AS visitor_id, contact_id, url,
       utm_source, utm_medium, utm_campaign, utm_content, utm_term, occurred_at,
       coalesce(
           jm_common_rule(row_problem, bad_column, missing_column),
           CASE
               WHEN visitor_id IS NULL AND contact_id IS NULL THEN 'visitor_missing'
           END
       ) AS rule
FROM import_typed;
CREATE OR REPLACE TEMP VIEW import_named AS
SELECT contact_id, occurred_at AS seen_at FROM import_page_visits WHERE contact_id IS NOT NULL;
