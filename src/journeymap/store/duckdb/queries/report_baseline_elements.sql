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
, arrivals AS (
    SELECT contact_id, to_element AS element_id, max(seq) AS arrived, count(*) AS visits
    FROM t WHERE to_element IS NOT NULL GROUP BY ALL
),
departures AS (
    SELECT contact_id, from_element AS element_id, max(seq) AS left_seq
    FROM t WHERE from_element IS NOT NULL GROUP BY ALL
)
SELECT a.element_id, count(DISTINCT a.contact_id) AS visitors,
       count(*) FILTER (WHERE jm_live(a.arrived, d.left_seq)) AS here_now,
       sum(a.visits) AS visits
FROM arrivals a LEFT JOIN departures d USING (contact_id, element_id)
GROUP BY a.element_id
