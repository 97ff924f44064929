-- Codes and keys for what a block of page visits (`_jm_block`) names first: its UTM values
-- (rs_utm), URLs (rs_page_url) and visitor ids (rs_visitor). The block's few distinct values are
-- the side a lookup is built from; the key tables are only scanned, rs_visitor once.
INSERT INTO rs_utm
SELECT nextval('rs_utm_seq')::INTEGER, v
FROM (
    SELECT DISTINCT v
    FROM (
        SELECT unnest([utm_source, utm_medium, utm_campaign, utm_content, utm_term]) AS v
        FROM _jm_block
    ) x
    WHERE v IS NOT NULL AND v <> '' AND NOT EXISTS (SELECT 1 FROM rs_utm r WHERE r.value = x.v)
);
INSERT INTO rs_page_url
SELECT nextval('rs_page_url_seq')::INTEGER, b.url
FROM (SELECT DISTINCT url FROM _jm_block) b
LEFT JOIN rs_page_url r ON r.url = b.url
WHERE r.uk IS NULL;
-- The block's visitors with their keys (`_jm_vk`, for summary_page_visits.sql), looked up in
-- one scan of rs_visitor; those it has not seen get new keys there.
CREATE OR REPLACE TEMP TABLE _jm_vk AS
SELECT r.vk, b.visitor_id, r.vk IS NULL AS fresh
FROM (SELECT DISTINCT visitor_id FROM _jm_block) b
LEFT JOIN rs_visitor r ON r.visitor_id = b.visitor_id;
UPDATE _jm_vk SET vk = nextval('rs_visitor_seq') WHERE fresh;
INSERT INTO rs_visitor SELECT vk, visitor_id FROM _jm_vk WHERE fresh ORDER BY vk;
