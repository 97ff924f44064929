-- The chains of the imported visits (a contact's visits on a map), each marked known when the
-- store already has its member in the report summaries (or the contact stood on the map): those
-- are folded into the summaries as appended facts are; the others get theirs built in bulk.
CREATE OR REPLACE TEMP TABLE import_members AS
SELECT c.chain, c.contact_id, c.map_id, c.cohort_at, c.stood OR m.mk IS NOT NULL AS known
FROM import_chains c
LEFT JOIN rs_member m ON m.contact_id = c.contact_id AND m.map_id = c.map_id
