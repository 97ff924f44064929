-- Contacts in the cohort: first entry into the map in the date range, UTM as filtered.
SELECT count(*) AS cohort_size
FROM rs_cohort($map_id, $from, $to, $last_touch, $utm_source, $utm_medium, $utm_campaign, $utm_content, $utm_term)
