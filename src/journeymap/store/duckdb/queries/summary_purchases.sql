-- Add a block of purchases (`_jm_block`, refunds negative) to the net spend of the buyers'
-- member rows on every map.
UPDATE rs_member SET net_spend = rs_member.net_spend + b.total
FROM (SELECT contact_id, sum(amount::DECIMAL(18, 2)) AS total FROM _jm_block GROUP BY contact_id) b
WHERE rs_member.contact_id = b.contact_id;
