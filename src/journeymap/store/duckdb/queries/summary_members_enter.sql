-- The members of the (contact, map) pairs in a block of transitions (`_jm_block`) into `_jm_mk`,
-- with the first entry each will have after the block (`moved`: an entry of the block is a
-- member's first, or earlier than known), and a new member for every pair that has none
-- (`fresh`), with the contact's current UTM (text and codes) and net spend, and its first entry
-- in the block if any; later changes arrive through summary_contacts.sql and
-- summary_purchases.sql. New keys follow contact order, and rows are stored in key order, so
-- lookups by key or contact skip most row groups. summary_cohort.sql moves the others.
CREATE OR REPLACE TEMP TABLE _jm_mk AS
WITH pairs AS MATERIALIZED (
    SELECT p.contact_id, p.map_id, p.entered_at, m.mk, m.mapk, m.ce, m.u1, m.u2, m.u3, m.u4,
           m.u5
    FROM (
        SELECT contact_id, map_id, min(occurred_at) FILTER (WHERE kind = 'enter') AS entered_at
        FROM _jm_block WHERE map_id IS NOT NULL GROUP BY ALL
    ) p
    LEFT JOIN rs_member m ON m.contact_id = p.contact_id AND m.map_id = p.map_id
),
new AS (SELECT contact_id, map_id, entered_at FROM pairs WHERE mk IS NULL),
d AS (SELECT rs_codes() AS code),
spend AS (
    SELECT p.contact_id, sum(p.amount) AS total
    FROM purchases p
    WHERE p.contact_id IN (SELECT contact_id FROM new)
    GROUP BY p.contact_id
)
SELECT mk, mapk, contact_id, map_id,
       CASE WHEN epoch_us(entered_at) < coalesce(ce, 9223372036854775807)
            THEN epoch_us(entered_at) ELSE ce END AS ce,
       u1, u2, u3, u4, u5, false AS fresh,
       coalesce(epoch_us(entered_at) < coalesce(ce, 9223372036854775807), false) AS moved,
       entered_at AS cohort_at,
       NULL::VARCHAR AS first_utm_source, NULL::VARCHAR AS first_utm_medium,
       NULL::VARCHAR AS first_utm_campaign, NULL::VARCHAR AS first_utm_content,
       NULL::VARCHAR AS first_utm_term, NULL::VARCHAR AS last_utm_source,
       NULL::VARCHAR AS last_utm_medium, NULL::VARCHAR AS last_utm_campaign,
       NULL::VARCHAR AS last_utm_content, NULL::VARCHAR AS last_utm_term,
       NULL::INTEGER AS w1, NULL::INTEGER AS w2, NULL::INTEGER AS w3, NULL::INTEGER AS w4,
       NULL::INTEGER AS w5, NULL::DECIMAL(18, 2) AS net_spend
FROM pairs
WHERE mk IS NOT NULL
UNION ALL
SELECT (SELECT coalesce(max(mk), 0) FROM rs_member)
           + row_number() OVER (ORDER BY n.contact_id, n.map_id),
       k.k, n.contact_id, n.map_id, epoch_us(n.entered_at),
       rs_code(d.code, c.first_utm_source),
       rs_code(d.code, c.first_utm_medium),
       rs_code(d.code, c.first_utm_campaign),
       rs_code(d.code, c.first_utm_content),
       rs_code(d.code, c.first_utm_term),
       true, false, n.entered_at,
       c.first_utm_source, c.first_utm_medium, c.first_utm_campaign, c.first_utm_content,
       c.first_utm_term,
       c.last_utm_source, c.last_utm_medium, c.last_utm_campaign, c.last_utm_content,
       c.last_utm_term,
       rs_code(d.code, c.last_utm_source),
       rs_code(d.code, c.last_utm_medium),
       rs_code(d.code, c.last_utm_campaign),
       rs_code(d.code, c.last_utm_content),
       rs_code(d.code, c.last_utm_term),
       coalesce(s.total, 0)
FROM new n
CROSS JOIN d
JOIN rs_key k ON k.kind = 'map' AND k.name = n.map_id
LEFT JOIN (SELECT * FROM contacts WHERE contact_id IN (SELECT contact_id FROM new)) c
    ON c.contact_id = n.contact_id
LEFT JOIN spend s ON s.contact_id = n.contact_id;
INSERT INTO rs_member
SELECT mk, mapk, contact_id, map_id, cohort_at, ce,
       first_utm_source, first_utm_medium, first_utm_campaign, first_utm_content, first_utm_term,
       last_utm_source, last_utm_medium, last_utm_campaign, last_utm_content, last_utm_term,
       u1, u2, u3, u4, u5, w1, w2, w3, w4, w5, net_spend
FROM _jm_mk
WHERE fresh
ORDER BY mk;
