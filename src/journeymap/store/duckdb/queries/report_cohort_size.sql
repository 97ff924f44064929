-- Contacts in the cohort: first entry into the map in the date range, UTM as filtered.
SELECT count(*) AS cohort_size
FROM rs_member_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                  $l1, $l2, $l3, $l4, $l5)
