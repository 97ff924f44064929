-- The first staged row of a purchases file that breaks a rule, and the rule.
SELECT row_no, rule FROM import_purchases WHERE rule IS NOT NULL ORDER BY row_no LIMIT 1
