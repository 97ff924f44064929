-- Per URL pattern (glob, as page-visit triggers match): page visits in the date range whose own
-- UTM matches the filter, anonymous ones included, and distinct visitors among them, from the
-- page-visit summary (rs_page): the patterns are matched against the distinct URLs, a filter
-- value is looked up as its code once (-1: a value no visit has), and visitors are integer keys.
WITH want AS (
    SELECT list(CASE WHEN v IS NULL THEN NULL
                     ELSE coalesce((SELECT u FROM rs_utm WHERE value = v), -1) END
                ORDER BY i) AS c
    FROM (SELECT unnest([$utm_source::VARCHAR, $utm_medium::VARCHAR, $utm_campaign::VARCHAR,
                         $utm_content::VARCHAR, $utm_term::VARCHAR]) AS v,
                 generate_subscripts([1, 2, 3, 4, 5], 1) AS i)
),
f AS (
    SELECT c[1] AS c1, c[2] AS c2, c[3] AS c3, c[4] AS c4, c[5] AS c5,
           coalesce(epoch_us($from::TIMESTAMPTZ), -9223372036854775807)::BIGINT AS lo,
           coalesce(epoch_us($to::TIMESTAMPTZ), 9223372036854775807)::BIGINT AS hi
    FROM want
),
urls AS (
    SELECT p.pattern, u.uk
    FROM rs_page_url u
    JOIN (SELECT unnest($patterns::VARCHAR[]) AS pattern) p ON u.url GLOB p.pattern
),
hits AS (
    SELECT urls.pattern, r.vk, r.visits
    FROM rs_page r
    JOIN urls USING (uk)
    CROSS JOIN f
    WHERE r.vt >= f.lo AND r.vt < f.hi
      AND (f.c1 IS NULL OR r.u1 = f.c1) AND (f.c2 IS NULL OR r.u2 = f.c2)
      AND (f.c3 IS NULL OR r.u3 = f.c3) AND (f.c4 IS NULL OR r.u4 = f.c4)
      AND (f.c5 IS NULL OR r.u5 = f.c5)
)
-- visitor keys are small dense integers: a bitmap over them counts the distinct ones without
-- hashing each (bitstring_agg takes its range from the column's statistics)
SELECT pattern, sum(visits) AS page_visits, bit_count(bitstring_agg(vk)) AS unique_visitors
FROM hits
GROUP BY pattern
