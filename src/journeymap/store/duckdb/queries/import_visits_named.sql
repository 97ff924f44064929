-- The contacts the imported visits name, with when: each chain's first visit. The staged visits
-- are no longer needed once shaped.
DROP TABLE IF EXISTS import_visits;
CREATE OR REPLACE TEMP VIEW import_named AS
SELECT contact_id, cohort_at AS seen_at FROM import_chains
