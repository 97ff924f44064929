-- The typed rows of a marketing costs file, staged, with the first rule each breaks
-- (importer/rules.py; NULL: none).
CREATE OR REPLACE TEMP TABLE import_marketing_costs AS
SELECT row_no, utm_field, utm_value, period_start, period_end, amount,
       coalesce(
           jm_common_rule(row_problem, bad_column, missing_column),
           CASE
               WHEN utm_field NOT IN ('source', 'medium', 'campaign', 'content', 'term')
                   THEN 'utm_field_unknown'
               WHEN period_end < period_start THEN 'period_end_before_period_start'
               WHEN amount < 0 THEN 'cost_negative'
           END
       ) AS rule
FROM import_typed;
