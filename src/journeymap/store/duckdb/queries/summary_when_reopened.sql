-- Rows of a block of attempts with a retry by hand (summary_delivery_attempts.sql).
SELECT count(*) FROM _jm_settle WHERE reopened > 0
