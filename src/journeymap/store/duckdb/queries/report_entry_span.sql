-- The first and the last first entry into the map among the cohort's contacts (a cohort trend's
-- periods run from the one to the other).
SELECT min(cohort_at) AS first_at, max(cohort_at) AS last_at
FROM rs_member_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                  $l1, $l2, $l3, $l4, $l5)
