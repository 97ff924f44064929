-- For the selected goal, over the cohort: its achievers' credit by element under the attribution
-- model $model (rs_credit_of), grouped by the element's exponent and the achiever's exponents;
-- element_id NULL: entered the map at the goal. The report adds the exact fractions.
SELECT element_id, r, rs, count(*) AS contacts
FROM rs_credit_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                  $l1, $l2, $l3, $l4, $l5, $goal, $model, $half_us)
GROUP BY ALL
ORDER BY element_id NULLS FIRST, r, rs
