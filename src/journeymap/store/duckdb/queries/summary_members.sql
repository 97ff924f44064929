-- The members of the (contact, map) pairs in the block `_jm_block`, looked up once per block
-- into `_jm_mk` for the steps that follow; a pair with no member yet has a NULL key there until
-- summary_members_new.sql gives it one.
CREATE OR REPLACE TEMP TABLE _jm_mk AS
SELECT m.mk, m.mapk, p.contact_id, p.map_id, m.ce, m.u1, m.u2, m.u3, m.u4, m.u5,
       false AS fresh
FROM (SELECT DISTINCT contact_id, map_id FROM _jm_block WHERE map_id IS NOT NULL) p
LEFT JOIN rs_member m ON m.contact_id = p.contact_id AND m.map_id = p.map_id;
