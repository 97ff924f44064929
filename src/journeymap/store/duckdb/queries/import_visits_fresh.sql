-- The chains of imported visits whose members the summaries do not hold yet, keys for the names
-- they use first, and their (contact, map) pairs laid out as summary_members.sql lays out a
-- block's members (`_jm_mk`, no member key yet), for summary_members_new.sql to make them.
CREATE OR REPLACE TEMP TABLE import_fresh AS
SELECT * FROM import_members WHERE NOT known;
INSERT INTO rs_key
SELECT k, k, 'map', map_id
FROM (
    SELECT nextval('rs_key_seq')::INTEGER AS k, map_id
    FROM (
        SELECT DISTINCT f.map_id FROM import_fresh f
        WHERE NOT EXISTS (SELECT 1 FROM rs_key r WHERE r.kind = 'map' AND r.name = f.map_id)
    )
);
CREATE OR REPLACE TEMP TABLE import_used AS
WITH used AS (
    SELECT DISTINCT 'element' AS kind, ek AS code FROM import_visit_sums
    WHERE chain IN (SELECT chain FROM import_fresh)
    UNION
    SELECT DISTINCT 'connector', ck FROM import_link_sums
    WHERE chain IN (SELECT chain FROM import_fresh)
    UNION
    SELECT DISTINCT 'element', from_ek FROM import_goals
    WHERE from_ek IS NOT NULL AND chain IN (SELECT chain FROM import_fresh)
)
SELECT u.kind, u.code, coalesce(e.map_id, c.map_id) AS map_id,
       coalesce(e.element_id, c.connector_id) AS name
FROM used u
LEFT JOIN import_elements e ON u.kind = 'element' AND e.ek = u.code
LEFT JOIN import_connectors c ON u.kind = 'connector' AND c.ck = u.code;
INSERT INTO rs_key
SELECT nextval('rs_key_seq')::INTEGER, mapk, kind, name
FROM (
    SELECT DISTINCT m.k AS mapk, u.kind, u.name
    FROM import_used u
    JOIN rs_key m ON m.kind = 'map' AND m.name = u.map_id
    WHERE NOT EXISTS (
        SELECT 1 FROM rs_key r WHERE r.mapk = m.k AND r.kind = u.kind AND r.name = u.name
    )
);
CREATE OR REPLACE TEMP TABLE import_keys AS
SELECT u.kind, u.code, r.k
FROM import_used u
JOIN rs_key m ON m.kind = 'map' AND m.name = u.map_id
JOIN rs_key r ON r.mapk = m.k AND r.kind = u.kind AND r.name = u.name;
CREATE OR REPLACE TEMP TABLE _jm_mk AS
SELECT NULL::BIGINT AS mk, NULL::INTEGER AS mapk, contact_id, map_id, NULL::BIGINT AS ce,
       NULL::INTEGER AS u1, NULL::INTEGER AS u2, NULL::INTEGER AS u3, NULL::INTEGER AS u4,
       NULL::INTEGER AS u5, false AS fresh
FROM import_fresh;
