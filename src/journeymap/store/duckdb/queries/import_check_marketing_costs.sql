-- The first staged row of a marketing costs file that breaks a rule, and the rule.
SELECT row_no, rule FROM import_marketing_costs WHERE rule IS NOT NULL ORDER BY row_no LIMIT 1
