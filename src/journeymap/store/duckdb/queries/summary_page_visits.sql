-- Add a block of page visits (`_jm_block`) to rs_page, one row per distinct (URL, time, visitor,
-- UTM codes) with how many visits it stands for, in (URL, time) order; visitor keys come from
-- `_jm_vk` (summary_page_keys.sql).
INSERT INTO rs_page
WITH codes AS (SELECT rs_codes() AS c),
b AS (
    SELECT url, epoch_us(occurred_at) AS vt, visitor_id,
           rs_code(c, utm_source) AS u1, rs_code(c, utm_medium) AS u2,
           rs_code(c, utm_campaign) AS u3, rs_code(c, utm_content) AS u4,
           rs_code(c, utm_term) AS u5, count(*) AS visits
    FROM _jm_block, codes
    GROUP BY ALL
)
SELECT p.uk, b.vt, v.vk, b.u1, b.u2, b.u3, b.u4, b.u5, b.visits
FROM b
JOIN rs_page_url p ON p.url = b.url
JOIN _jm_vk v ON v.visitor_id = b.visitor_id
ORDER BY p.uk, b.vt;
DROP TABLE _jm_vk;
