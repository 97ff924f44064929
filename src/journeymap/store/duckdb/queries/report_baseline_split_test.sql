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
-- Split test: per branch leaving $split, the contacts who took that branch and no other, and
-- those of them with an achievement of $goal after their first arrival at the split.
, first_at_split AS (
    SELECT contact_id, min(seq) AS arrived_seq
    FROM t WHERE to_element = $split GROUP BY contact_id
),
taken AS (
    SELECT contact_id, min(connector_id) AS connector_id, count(DISTINCT connector_id) AS n
    FROM t WHERE from_element = $split AND connector_id IS NOT NULL GROUP BY contact_id
)
SELECT k.connector_id, count(*) AS contacts,
       count(*) FILTER (WHERE EXISTS (
           SELECT 1 FROM achievements a
           WHERE a.contact_id = k.contact_id AND a.map_id = $map_id AND a.goal_id = $goal
             AND a.seq > f.arrived_seq)) AS achievers
FROM taken k JOIN first_at_split f USING (contact_id)
WHERE k.n = 1
GROUP BY k.connector_id
