-- The first staged row of a visits file that breaks a rule, and the rule.
SELECT row_no, rule FROM import_visits WHERE rule IS NOT NULL ORDER BY row_no LIMIT 1
