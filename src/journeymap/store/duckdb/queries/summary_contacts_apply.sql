-- Copy the changed UTM (`_jm_touched`) onto the member rows, text and codes; `_jm_carry` lists
-- the members whose first-touch codes changed.
CREATE OR REPLACE TEMP TABLE _jm_coded AS
WITH d AS (SELECT rs_codes() AS code)
SELECT t.*,
       rs_code(d.code, first_utm_source) AS u1,
       rs_code(d.code, first_utm_medium) AS u2,
       rs_code(d.code, first_utm_campaign) AS u3,
       rs_code(d.code, first_utm_content) AS u4,
       rs_code(d.code, first_utm_term) AS u5,
       rs_code(d.code, last_utm_source) AS w1,
       rs_code(d.code, last_utm_medium) AS w2,
       rs_code(d.code, last_utm_campaign) AS w3,
       rs_code(d.code, last_utm_content) AS w4,
       rs_code(d.code, last_utm_term) AS w5
FROM _jm_touched t, d;
UPDATE rs_member SET
    first_utm_source = t.first_utm_source, first_utm_medium = t.first_utm_medium,
    first_utm_campaign = t.first_utm_campaign, first_utm_content = t.first_utm_content,
    first_utm_term = t.first_utm_term,
    last_utm_source = t.last_utm_source, last_utm_medium = t.last_utm_medium,
    last_utm_campaign = t.last_utm_campaign, last_utm_content = t.last_utm_content,
    last_utm_term = t.last_utm_term,
    u1 = t.u1, u2 = t.u2, u3 = t.u3, u4 = t.u4, u5 = t.u5,
    w1 = t.w1, w2 = t.w2, w3 = t.w3, w4 = t.w4, w5 = t.w5
FROM _jm_coded t
WHERE rs_member.mk = t.mk;
CREATE OR REPLACE TEMP TABLE _jm_carry AS
SELECT mk, ce, u1, u2, u3, u4, u5
FROM _jm_coded
WHERE (was1, was2, was3, was4, was5) IS DISTINCT FROM (u1, u2, u3, u4, u5);
