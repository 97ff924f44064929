-- The first staged row of a email events file that breaks a rule, and the rule.
SELECT row_no, rule FROM import_email_events WHERE rule IS NOT NULL ORDER BY row_no LIMIT 1
