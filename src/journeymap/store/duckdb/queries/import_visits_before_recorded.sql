-- The first staged visit earlier than the contact's last recorded move on its map, and that move.
SELECT min(v.row_no) AS row_no, arg_min(l.last_at, v.row_no) AS last_at
FROM import_visits v
JOIN import_last l ON l.contact_id = v.contact_id AND l.map_id = v.map_id
WHERE v.entered_at < l.last_at
