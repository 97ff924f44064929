-- Drop-off per connector, over the cohort (rs_stays_of): distinct contacts who moved along it
-- to an element other than an end ($ends) and then left the map from there (their next move
-- away was an exit) or sat there longer than the stay's configured dwell plus $stall_us (until
-- their next move away, or until $now when they are still there).
SELECT connector_id, count(DISTINCT mk) AS contacts,
       count(DISTINCT mk) FILTER (
           WHERE left_kind = 'exit'
              OR epoch_us(coalesce(left_at, $now::TIMESTAMPTZ)) - epoch_us(arrived_at)
                 > coalesce(conf_us, 0) + $stall_us
       ) AS drop_off
FROM rs_stays_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                 $l1, $l2, $l3, $l4, $l5, $ids, $conf_us)
WHERE connector_id IS NOT NULL AND NOT list_contains($ends, element_id)
GROUP BY connector_id
ORDER BY connector_id
