-- Copy the changed UTM (`_jm_touched`) onto the member rows, text and codes; `_jm_carry` lists
-- the members whose first-touch codes changed.
UPDATE rs_member SET
    first_utm_source = t.first_utm_source, first_utm_medium = t.first_utm_medium,
    first_utm_campaign = t.first_utm_campaign, first_utm_content = t.first_utm_content,
    first_utm_term = t.first_utm_term,
    last_utm_source = t.last_utm_source, last_utm_medium = t.last_utm_medium,
    last_utm_campaign = t.last_utm_campaign, last_utm_content = t.last_utm_content,
    last_utm_term = t.last_utm_term,
    u1 = t.u1, u2 = t.u2, u3 = t.u3, u4 = t.u4, u5 = t.u5,
    w1 = t.w1, w2 = t.w2, w3 = t.w3, w4 = t.w4, w5 = t.w5
FROM _jm_touched t
WHERE rs_member.mk = t.mk;
CREATE OR REPLACE TEMP TABLE _jm_carry AS
SELECT mk, ce, u1, u2, u3, u4, u5, was1, was2, was3, was4, was5
FROM _jm_touched
WHERE (was1, was2, was3, was4, was5) IS DISTINCT FROM (u1, u2, u3, u4, u5);
