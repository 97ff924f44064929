-- The typed rows of a contacts file, staged (the utm_* columns are the first touch), with the
-- first rule each breaks (importer/rules.py; NULL: none).
CREATE OR REPLACE TEMP TABLE import_contacts AS
SELECT row_no, contact_id, created_at,
       utm_source AS first_utm_source, utm_medium AS first_utm_medium,
       utm_campaign AS first_utm_campaign, utm_content AS first_utm_content,
       utm_term AS first_utm_term,
       last_utm_source, last_utm_medium, last_utm_campaign, last_utm_content, last_utm_term,
       tags, fields,
       jm_common_rule(row_problem, bad_column, missing_column) AS rule
FROM import_typed;
