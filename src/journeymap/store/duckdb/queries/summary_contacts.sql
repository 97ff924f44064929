-- The members of the upserted contacts (`_jm_block`) whose UTM changed, with the new UTM as
-- text and codes, into `_jm_touched` (summary_contacts_apply.sql copies it). Runs after
-- summary_utm.sql.
CREATE OR REPLACE TEMP TABLE _jm_touched AS
WITH d AS (SELECT rs_codes() AS code)
SELECT m.mk, m.u1 AS was1, m.u2 AS was2, m.u3 AS was3, m.u4 AS was4, m.u5 AS was5, m.ce,
       b.first_utm_source, b.first_utm_medium, b.first_utm_campaign, b.first_utm_content,
       b.first_utm_term, b.last_utm_source, b.last_utm_medium, b.last_utm_campaign,
       b.last_utm_content, b.last_utm_term,
       rs_code(d.code, b.first_utm_source) AS u1,
       rs_code(d.code, b.first_utm_medium) AS u2,
       rs_code(d.code, b.first_utm_campaign) AS u3,
       rs_code(d.code, b.first_utm_content) AS u4,
       rs_code(d.code, b.first_utm_term) AS u5,
       rs_code(d.code, b.last_utm_source) AS w1,
       rs_code(d.code, b.last_utm_medium) AS w2,
       rs_code(d.code, b.last_utm_campaign) AS w3,
       rs_code(d.code, b.last_utm_content) AS w4,
       rs_code(d.code, b.last_utm_term) AS w5
FROM _jm_block b
CROSS JOIN d
JOIN rs_member m ON m.contact_id = b.contact_id
WHERE m.first_utm_source IS DISTINCT FROM b.first_utm_source
   OR m.first_utm_medium IS DISTINCT FROM b.first_utm_medium
   OR m.first_utm_campaign IS DISTINCT FROM b.first_utm_campaign
   OR m.first_utm_content IS DISTINCT FROM b.first_utm_content
   OR m.first_utm_term IS DISTINCT FROM b.first_utm_term
   OR m.last_utm_source IS DISTINCT FROM b.last_utm_source
   OR m.last_utm_medium IS DISTINCT FROM b.last_utm_medium
   OR m.last_utm_campaign IS DISTINCT FROM b.last_utm_campaign
   OR m.last_utm_content IS DISTINCT FROM b.last_utm_content
   OR m.last_utm_term IS DISTINCT FROM b.last_utm_term;
