-- The imported achievements of members the summaries already hold ($base: the largest sequence
-- number before the import).
SELECT a.*
FROM achievements a
SEMI JOIN import_members m
    ON m.known AND m.contact_id = a.contact_id AND m.map_id = a.map_id
WHERE a.seq > $base
