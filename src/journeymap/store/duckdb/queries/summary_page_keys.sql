-- Codes and keys for what a block of page visits (`_jm_block`) names first: its UTM values
-- (rs_utm), URLs (rs_page_url) and visitor ids (rs_visitor). The block's few distinct values are
-- the side a lookup is built from; the key tables are only scanned.
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
INSERT INTO rs_visitor
SELECT nextval('rs_visitor_seq'), b.visitor_id
FROM (SELECT DISTINCT visitor_id FROM _jm_block) b
LEFT JOIN rs_visitor r ON r.visitor_id = b.visitor_id
WHERE r.vk IS NULL;
