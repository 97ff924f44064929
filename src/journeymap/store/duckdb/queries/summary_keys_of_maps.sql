-- The element and connector names that have a key, of the maps named in `$maps`, as
-- (map, kind, name): what a block's names are checked against before its keys are made.
SELECT m.name, e.kind, e.name
FROM rs_key m
JOIN rs_key e ON e.mapk = m.k
WHERE m.kind = 'map' AND list_contains($maps::VARCHAR[], m.name)
