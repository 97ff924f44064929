-- Move the first entry of the members a block of transitions (`_jm_block`) entered earlier than
-- known (`moved` in `_jm_mk`, summary_members_enter.sql; new members have theirs already);
-- `_jm_carry` lists them, whose summary rows carry the first entry they had.
UPDATE rs_member SET cohort_at = k.cohort_at, ce = k.ce
FROM _jm_mk k
WHERE k.moved AND rs_member.mk = k.mk;
CREATE OR REPLACE TEMP TABLE _jm_carry AS
SELECT mk, ce, u1, u2, u3, u4, u5,
       u1 AS was1, u2 AS was2, u3 AS was3, u4 AS was4, u5 AS was5
FROM _jm_mk
WHERE moved;
