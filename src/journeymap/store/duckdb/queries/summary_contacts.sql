-- The members of the upserted contacts (`_jm_block`) whose UTM changed, with the new UTM as
-- text and codes, into `_jm_touched` (summary_contacts_apply.sql copies it). Runs after
-- summary_utm.sql.
CREATE OR REPLACE TEMP TABLE _jm_touched AS
SELECT m.mk, m.u1 AS was1, m.u2 AS was2, m.u3 AS was3, m.u4 AS was4, m.u5 AS was5, m.ce,
       b.first_utm_source, b.first_utm_medium, b.first_utm_campaign, b.first_utm_content,
       b.first_utm_term, b.last_utm_source, b.last_utm_medium, b.last_utm_campaign,
       b.last_utm_content, b.last_utm_term
FROM _jm_block b
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
