-- Copy the UTM of upserted contacts (`_jm_block`) onto their member rows when it changed.
UPDATE rs_member SET
    first_utm_source = b.first_utm_source, first_utm_medium = b.first_utm_medium,
    first_utm_campaign = b.first_utm_campaign, first_utm_content = b.first_utm_content,
    first_utm_term = b.first_utm_term,
    last_utm_source = b.last_utm_source, last_utm_medium = b.last_utm_medium,
    last_utm_campaign = b.last_utm_campaign, last_utm_content = b.last_utm_content,
    last_utm_term = b.last_utm_term
FROM _jm_block b
WHERE rs_member.contact_id = b.contact_id
  AND (rs_member.first_utm_source IS DISTINCT FROM b.first_utm_source
    OR rs_member.first_utm_medium IS DISTINCT FROM b.first_utm_medium
    OR rs_member.first_utm_campaign IS DISTINCT FROM b.first_utm_campaign
    OR rs_member.first_utm_content IS DISTINCT FROM b.first_utm_content
    OR rs_member.first_utm_term IS DISTINCT FROM b.first_utm_term
    OR rs_member.last_utm_source IS DISTINCT FROM b.last_utm_source
    OR rs_member.last_utm_medium IS DISTINCT FROM b.last_utm_medium
    OR rs_member.last_utm_campaign IS DISTINCT FROM b.last_utm_campaign
    OR rs_member.last_utm_content IS DISTINCT FROM b.last_utm_content
    OR rs_member.last_utm_term IS DISTINCT FROM b.last_utm_term);
