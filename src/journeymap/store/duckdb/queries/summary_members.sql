-- A member row for every (contact, map) in the block `_jm_block` that has none yet, with the
-- contact's current UTM and net spend; later changes arrive through summary_contacts.sql and
-- summary_purchases.sql.
INSERT INTO rs_member
WITH pairs AS (
    SELECT DISTINCT b.contact_id, b.map_id
    FROM _jm_block b
    WHERE b.map_id IS NOT NULL
      AND NOT EXISTS (
          SELECT 1 FROM rs_member r WHERE r.contact_id = b.contact_id AND r.map_id = b.map_id
      )
),
spend AS (
    SELECT p.contact_id, sum(p.amount) AS total
    FROM purchases p
    WHERE p.contact_id IN (SELECT contact_id FROM pairs)
    GROUP BY p.contact_id
)
SELECT nextval('rs_member_key'), n.contact_id, n.map_id, NULL,
       c.first_utm_source, c.first_utm_medium, c.first_utm_campaign, c.first_utm_content,
       c.first_utm_term,
       c.last_utm_source, c.last_utm_medium, c.last_utm_campaign, c.last_utm_content,
       c.last_utm_term,
       coalesce(s.total, 0)
FROM pairs n
LEFT JOIN contacts c ON c.contact_id = n.contact_id
LEFT JOIN spend s ON s.contact_id = n.contact_id;
