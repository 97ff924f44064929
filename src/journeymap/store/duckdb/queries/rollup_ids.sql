-- The distinct contacts of a block folded from SQL (`_jm_block`), for rollup_before.sql.
SELECT list(DISTINCT contact_id) FROM _jm_block
