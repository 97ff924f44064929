-- Baseline for bench/reports.py: the same figures by straightforward SQL over the raw facts.
WITH firsts AS (
    SELECT contact_id, min(occurred_at) AS cohort_at
    FROM transitions WHERE map_id = $map_id AND kind = 'enter' GROUP BY contact_id
),
cohort AS (
    SELECT f.contact_id
    FROM firsts f LEFT JOIN contacts c USING (contact_id)
    WHERE ($from::TIMESTAMPTZ IS NULL OR f.cohort_at >= $from::TIMESTAMPTZ)
      AND ($to::TIMESTAMPTZ IS NULL OR f.cohort_at < $to::TIMESTAMPTZ)
      AND ($utm_source::VARCHAR IS NULL OR coalesce(CASE WHEN $last_touch
           THEN c.last_utm_source ELSE c.first_utm_source END, '(none)') = $utm_source)
      AND ($utm_medium::VARCHAR IS NULL OR coalesce(CASE WHEN $last_touch
           THEN c.last_utm_medium ELSE c.first_utm_medium END, '(none)') = $utm_medium)
      AND ($utm_campaign::VARCHAR IS NULL OR coalesce(CASE WHEN $last_touch
           THEN c.last_utm_campaign ELSE c.first_utm_campaign END, '(none)') = $utm_campaign)
      AND ($utm_content::VARCHAR IS NULL OR coalesce(CASE WHEN $last_touch
           THEN c.last_utm_content ELSE c.first_utm_content END, '(none)') = $utm_content)
      AND ($utm_term::VARCHAR IS NULL OR coalesce(CASE WHEN $last_touch
           THEN c.last_utm_term ELSE c.first_utm_term END, '(none)') = $utm_term)
),
t AS (
    SELECT t.* FROM transitions t JOIN cohort USING (contact_id) WHERE t.map_id = $map_id
)
-- Bottlenecks: each arrival at an element belongs to the stay its next move away from there (the
-- first departure after it) ends, or to the open stay when there is none yet; a stay starts at its
-- first arrival and is set a configured dwell: its wait's due time less the arrival (waits), else
-- the element's ($ids, $conf_us). Per element: completed stays, the median and 90th percentile of
-- their microseconds, the median configured dwell, and the contacts in an open stay longer than
-- its dwell plus $grace_us at $now. Per connector into an element other than an end ($ends): the
-- contacts who arrived along it, and those whose stay then ended in an exit or lasted from that
-- arrival longer than the dwell (0 when none) plus $stall_us.
, arrivals AS (
    SELECT contact_id, to_element AS element_id, seq, occurred_at, connector_id
    FROM t WHERE to_element IS NOT NULL
),
departures AS (
    SELECT contact_id, from_element AS element_id, seq, occurred_at, kind FROM t
    WHERE from_element IS NOT NULL
),
closed AS (
    SELECT a.*, d.seq AS left_seq, d.occurred_at AS left_at, d.kind AS left_kind
    FROM arrivals a ASOF LEFT JOIN departures d
      ON a.contact_id = d.contact_id AND a.element_id = d.element_id AND a.seq < d.seq
),
stays AS (
    SELECT contact_id, element_id, left_seq, min(seq) AS arrived_seq,
           arg_min(occurred_at, seq) AS arrived_at, any_value(left_at) AS left_at
    FROM closed GROUP BY ALL
),
dwell AS (
    SELECT s.*, CASE WHEN w.due_at IS NULL THEN c.conf_us
                     ELSE greatest(date_diff('microsecond', s.arrived_at, w.due_at), 0)
                END AS conf_us
    FROM stays s
    LEFT JOIN waits w
      ON w.contact_id = s.contact_id AND w.map_id = $map_id AND w.element_id = s.element_id
     AND w.arrived_seq = s.arrived_seq
    LEFT JOIN (SELECT unnest($ids::VARCHAR[]) AS element_id,
                      unnest($conf_us::BIGINT[]) AS conf_us) c ON c.element_id = s.element_id
),
per_element AS (
    SELECT element_id,
           count(*) FILTER (WHERE left_at IS NOT NULL) AS dwell_n,
           quantile_cont(date_diff('microsecond', arrived_at, left_at), 0.5) AS median_us,
           quantile_cont(date_diff('microsecond', arrived_at, left_at), 0.9) AS p90_us,
           count(DISTINCT contact_id) FILTER (WHERE left_at IS NULL AND conf_us IS NOT NULL
               AND date_diff('microsecond', arrived_at, $now::TIMESTAMPTZ) > conf_us + $grace_us)
               AS stuck
    FROM dwell GROUP BY element_id
),
per_connector AS (
    SELECT c.connector_id, count(DISTINCT c.contact_id) AS contacts,
           count(DISTINCT c.contact_id) FILTER (WHERE c.left_kind = 'exit'
               OR date_diff('microsecond', c.occurred_at, coalesce(c.left_at, $now::TIMESTAMPTZ))
                  > coalesce(d.conf_us, 0) + $stall_us) AS drop_off
    FROM closed c
    JOIN dwell d ON d.contact_id = c.contact_id AND d.element_id = c.element_id
     AND d.left_seq IS NOT DISTINCT FROM c.left_seq
    WHERE c.connector_id IS NOT NULL AND NOT list_contains($ends, c.element_id)
    GROUP BY c.connector_id
)
SELECT 'element' AS target, element_id AS id, dwell_n, median_us, p90_us, stuck,
       NULL::BIGINT AS contacts, NULL::BIGINT AS drop_off
FROM per_element
UNION ALL
SELECT 'connector', connector_id, NULL, NULL, NULL, NULL, contacts, drop_off FROM per_connector
