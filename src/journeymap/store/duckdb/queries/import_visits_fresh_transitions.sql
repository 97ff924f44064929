-- The imported transitions of members the import made ($base: the largest sequence number before
-- the import), for the stays (import_visits_summaries.sql builds their other summaries).
SELECT t.*
FROM transitions t
SEMI JOIN import_members m
    ON NOT m.known AND m.contact_id = t.contact_id AND m.map_id = t.map_id
WHERE t.seq > $base
