-- Set the first entry of the members that enter in a block of transitions (`_jm_block`), or
-- entered earlier than known; `_jm_carry` lists those that had summary rows before the block.
CREATE OR REPLACE TEMP TABLE _jm_moved AS
SELECT k.mk, e.entered_at, k.fresh
FROM (
    SELECT contact_id, map_id, min(occurred_at) AS entered_at
    FROM _jm_block WHERE kind = 'enter' GROUP BY ALL
) e
JOIN _jm_mk k ON k.contact_id = e.contact_id AND k.map_id = e.map_id
WHERE k.ce IS NULL OR epoch_us(e.entered_at) < k.ce;
UPDATE rs_member SET cohort_at = x.entered_at, ce = epoch_us(x.entered_at)
FROM _jm_moved x
WHERE rs_member.mk = x.mk;
UPDATE _jm_mk SET ce = epoch_us(x.entered_at)
FROM _jm_moved x
WHERE _jm_mk.mk = x.mk;
CREATE OR REPLACE TEMP TABLE _jm_carry AS
SELECT mk, ce, u1, u2, u3, u4, u5,
       u1 AS was1, u2 AS was2, u3 AS was3, u4 AS was4, u5 AS was5
FROM _jm_mk
WHERE mk IN (SELECT mk FROM _jm_moved WHERE NOT fresh);
