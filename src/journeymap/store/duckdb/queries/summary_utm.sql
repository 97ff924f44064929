-- Codes for the UTM values of a block of contacts (`_jm_block`) that have none yet.
INSERT INTO rs_utm
SELECT nextval('rs_utm_seq')::INTEGER, v
FROM (
    SELECT DISTINCT v
    FROM (
        SELECT unnest([first_utm_source, first_utm_medium, first_utm_campaign, first_utm_content,
                       first_utm_term, last_utm_source, last_utm_medium, last_utm_campaign,
                       last_utm_content, last_utm_term]) AS v
        FROM _jm_block
    ) x
    WHERE v IS NOT NULL AND v <> '' AND NOT EXISTS (SELECT 1 FROM rs_utm r WHERE r.value = x.v)
);
