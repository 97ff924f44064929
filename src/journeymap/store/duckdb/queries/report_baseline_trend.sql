-- Baseline for bench/reports.py: the same figures by straightforward SQL over the raw facts.
WITH firsts AS (
    SELECT contact_id, min(occurred_at) AS cohort_at
    FROM transitions WHERE map_id = $map_id AND kind = 'enter' GROUP BY contact_id
),
cohort AS (
    SELECT f.contact_id, f.cohort_at
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
-- Trend: per week or month ($period) of first entry (local days in $tz), the contacts who visited $element
-- and achieved $goal after their first arrival there.
, first_arrivals AS (
    SELECT contact_id, min(seq) AS first_seq FROM t WHERE to_element = $element GROUP BY ALL
),
pairs AS (
    SELECT DISTINCT f.contact_id
    FROM first_arrivals f
    JOIN achievements a
      ON a.contact_id = f.contact_id AND a.map_id = $map_id AND a.goal_id = $goal
     AND a.seq > f.first_seq
)
SELECT date_trunc($period, timezone($tz, c.cohort_at))::DATE AS start, count(p.contact_id) AS n
FROM cohort c LEFT JOIN pairs p USING (contact_id)
GROUP BY ALL ORDER BY start
