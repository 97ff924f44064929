-- Drill-down of goal conversion point under an attribution model: the achievers of $goal credited
-- on $element_id (rs_credit_of). at: the first achievement; value: the contact's credit there
-- (2^-r / Σ 2^-r over its rows, to double precision; the report gives the exact sum).
WITH c AS (
    SELECT mk, element_id, achieved_at,
           power(2, -r) / sum(power(2, -r)) OVER (PARTITION BY mk) AS value
    FROM rs_credit_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                      $l1, $l2, $l3, $l4, $l5, $goal, $model, $half_us)
),
hit AS (
    SELECT mk, achieved_at AS at, value FROM c WHERE element_id = $element_id::VARCHAR
)
SELECT m.contact_id, k.created_at,
       m.first_utm_source, m.first_utm_medium, m.first_utm_campaign, m.first_utm_content,
       m.first_utm_term,
       h.at, h.value, count(*) OVER () AS total
FROM hit h
JOIN rs_member m USING (mk)
LEFT JOIN contacts k ON k.contact_id = m.contact_id
ORDER BY h.at NULLS LAST, m.contact_id
LIMIT $limit OFFSET $offset
