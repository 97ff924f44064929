-- Funnel Conversion over the cohort (rs_funnel_of): per step element, the members whose match
-- for its step was there ('reached') and those who took its step directly there ('direct').
SELECT element_id, k AS step, took, count(*) AS contacts
FROM rs_funnel_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                  $l1, $l2, $l3, $l4, $l5,
                  $step_names::VARCHAR[], $step_numbers::INTEGER[], $goal_steps::VARCHAR[])
GROUP BY ALL
ORDER BY step, element_id, took
