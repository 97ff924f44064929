SELECT DISTINCT contact_id FROM entries WHERE map_id = $map_id
