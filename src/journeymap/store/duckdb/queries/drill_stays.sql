-- Drill-down of the bottleneck figures (report_bottlenecks.sql), per contact over
-- rs_stays_of: $mode 'dwell' lists the contacts with completed stays on element $target (at:
-- the first such arrival; value: their completed stays), 'stuck' those here now past the
-- configured dwell plus $grace_us (at: the arrival; value: seconds here), 'drop_off' those who
-- moved along connector $target and stopped ($stall_us, $ends; at: the first such arrival;
-- value: seconds it sat still, to its next move away or to $now).
WITH s AS (
    SELECT mk, element_id, connector_id, arrived_at, left_at, left_exit, conf_us,
           epoch_us(coalesce(left_at, $now::TIMESTAMPTZ)) - epoch_us(arrived_at) AS us
    FROM rs_stays_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                     $l1, $l2, $l3, $l4, $l5, $ids, $conf_us)
),
picked AS (
    SELECT mk, arrived_at, us
    FROM s
    WHERE CASE $mode
              WHEN 'dwell' THEN connector_id IS NULL AND element_id = $target
                                AND left_at IS NOT NULL
              WHEN 'stuck' THEN connector_id IS NULL AND element_id = $target AND left_at IS NULL
                                AND conf_us IS NOT NULL AND us > conf_us + $grace_us
              ELSE connector_id = $target AND NOT list_contains($ends, element_id)
                   AND (left_exit OR us > coalesce(conf_us, 0) + $stall_us)
          END
),
hit AS (
    SELECT mk, min(arrived_at) AS at,
           CASE $mode WHEN 'dwell' THEN count(*)::DOUBLE ELSE arg_min(us, arrived_at) / 1e6 END AS value
    FROM picked
    GROUP BY mk
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
