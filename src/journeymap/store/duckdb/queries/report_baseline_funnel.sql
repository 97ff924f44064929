-- Baseline for bench/reports.py: the same figures by straightforward SQL over the raw facts.
-- The ordered funnel: from each step's match, the earliest occurrence of the next step after it.
WITH RECURSIVE firsts AS (
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
, steps AS (
    SELECT unnest($step_names::VARCHAR[]) AS element_id, unnest($step_numbers::INTEGER[]) AS k
),
occ AS (
    SELECT t.contact_id, s.k, t.seq
    FROM t JOIN steps s ON s.element_id = t.to_element
    WHERE NOT list_contains($goal_steps::VARCHAR[], t.to_element)
    UNION ALL
    SELECT a.contact_id, s.k, a.seq
    FROM achievements a JOIN cohort USING (contact_id) JOIN steps s ON s.element_id = a.goal_id
    WHERE a.map_id = $map_id AND list_contains($goal_steps::VARCHAR[], a.goal_id)
),
walk(contact_id, k, seq) AS (
    SELECT contact_id, 1, min(seq) FROM occ WHERE k = 1 GROUP BY contact_id
    UNION ALL
    SELECT w.contact_id, w.k + 1, min(o.seq)
    FROM walk w JOIN occ o ON o.contact_id = w.contact_id AND o.k = w.k + 1 AND o.seq > w.seq
    GROUP BY w.contact_id, w.k
)
SELECT k, count(*) AS reached FROM walk GROUP BY k ORDER BY k
