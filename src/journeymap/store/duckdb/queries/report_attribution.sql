-- For the selected goal, over the cohort: its achievers' credit by element under the attribution
-- model $model (rs_credit_of), grouped by the element's exponent and the achiever's exponents rs
-- (ascending); element_id NULL: entered the map at the goal. The report adds the exact fractions.
-- Each achiever's exponents are listed once and numbered, so rows are grouped by a number.
WITH c AS (
    SELECT mk, element_id, r
    FROM rs_credit_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                      $l1, $l2, $l3, $l4, $l5, $goal, $model, $half_us)
),
sig AS MATERIALIZED (
    SELECT mk, rs, dense_rank() OVER (ORDER BY rs) AS s
    FROM (SELECT mk, list(r ORDER BY r) AS rs FROM c GROUP BY mk)
),
per AS (
    SELECT c.element_id, c.r, sig.s, count(*) AS contacts
    FROM c JOIN sig USING (mk)
    GROUP BY ALL
)
SELECT p.element_id, p.r, x.rs, p.contacts
FROM per p JOIN (SELECT DISTINCT s, rs FROM sig) x USING (s)
ORDER BY p.element_id NULLS FIRST, p.r, x.rs
