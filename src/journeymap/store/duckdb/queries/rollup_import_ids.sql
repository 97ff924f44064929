-- The contacts of the members an import makes (import_fresh), for rollup_before.sql and
-- rollup_after.sql around import_visits_summaries.sql.
SELECT coalesce(list(DISTINCT contact_id), []) AS ids FROM import_fresh
