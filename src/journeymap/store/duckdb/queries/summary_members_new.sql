-- A member for every (contact, map) pair of the block `_jm_block` that has none yet (a NULL key
-- in `_jm_mk`), with the contact's current UTM (text and codes) and net spend; later changes arrive
-- through summary_contacts.sql and summary_purchases.sql. Keys follow contact order, and rows
-- are stored in key order, so lookups by key or contact skip most row groups.
CREATE OR REPLACE TEMP TABLE _jm_new AS
WITH pairs AS (SELECT contact_id, map_id FROM _jm_mk WHERE mk IS NULL),
d AS (SELECT rs_codes() AS code),
spend AS (
    SELECT p.contact_id, sum(p.amount) AS total
    FROM purchases p
    WHERE p.contact_id IN (SELECT contact_id FROM pairs)
    GROUP BY p.contact_id
)
SELECT (SELECT coalesce(max(mk), 0) FROM rs_member)
           + row_number() OVER (ORDER BY n.contact_id, n.map_id) AS mk,
       k.k AS mapk, n.contact_id, n.map_id,
       NULL::TIMESTAMPTZ AS cohort_at, NULL::BIGINT AS ce,
       c.first_utm_source, c.first_utm_medium, c.first_utm_campaign, c.first_utm_content,
       c.first_utm_term,
       c.last_utm_source, c.last_utm_medium, c.last_utm_campaign, c.last_utm_content,
       c.last_utm_term,
       rs_code(d.code, c.first_utm_source) AS u1,
       rs_code(d.code, c.first_utm_medium) AS u2,
       rs_code(d.code, c.first_utm_campaign) AS u3,
       rs_code(d.code, c.first_utm_content) AS u4,
       rs_code(d.code, c.first_utm_term) AS u5,
       rs_code(d.code, c.last_utm_source) AS w1,
       rs_code(d.code, c.last_utm_medium) AS w2,
       rs_code(d.code, c.last_utm_campaign) AS w3,
       rs_code(d.code, c.last_utm_content) AS w4,
       rs_code(d.code, c.last_utm_term) AS w5,
       coalesce(s.total, 0) AS net_spend
FROM pairs n
CROSS JOIN d
JOIN rs_key k ON k.kind = 'map' AND k.name = n.map_id
LEFT JOIN (SELECT * FROM contacts WHERE contact_id IN (SELECT contact_id FROM pairs)) c
    ON c.contact_id = n.contact_id
LEFT JOIN spend s ON s.contact_id = n.contact_id;
INSERT INTO rs_member SELECT * FROM _jm_new ORDER BY mk;
DELETE FROM _jm_mk WHERE mk IS NULL;
INSERT INTO _jm_mk
SELECT mk, mapk, contact_id, map_id, ce, u1, u2, u3, u4, u5, true FROM _jm_new;
