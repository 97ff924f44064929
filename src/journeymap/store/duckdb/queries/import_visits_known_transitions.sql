-- The imported transitions of members the summaries already hold ($base: the largest sequence
-- number before the import).
SELECT t.*
FROM transitions t
SEMI JOIN import_members m
    ON m.known AND m.contact_id = t.contact_id AND m.map_id = t.map_id
WHERE t.seq > $base
