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
, first_arrivals AS (
    SELECT contact_id, to_element AS element_id, min(seq) AS first_seq,
           arg_min(occurred_at, seq) AS first_at
    FROM t WHERE to_element IS NOT NULL GROUP BY ALL
),
ach AS (
    SELECT a.contact_id, a.seq, a.occurred_at
    FROM achievements a JOIN cohort USING (contact_id)
    WHERE a.map_id = $map_id AND a.goal_id = $goal
),
pairs AS (
    SELECT f.element_id, f.contact_id, f.first_at, arg_min(a.occurred_at, a.seq) AS achieved_at
    FROM first_arrivals f JOIN ach a ON a.contact_id = f.contact_id AND a.seq > f.first_seq
    GROUP BY ALL
),
secs AS (
    SELECT element_id, date_diff('microsecond', first_at, achieved_at) / 1e6 AS s FROM pairs
)
SELECT element_id, count(*) AS n, avg(s) AS mean_s, quantile_cont(s, 0.5) AS median_s,
       quantile_cont(s, 0.9) AS p90_s
FROM secs GROUP BY element_id
