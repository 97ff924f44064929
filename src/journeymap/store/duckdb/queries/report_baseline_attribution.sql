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
-- Attribution: per achiever of $goal, its first achievement and the moves of that entry before
-- it to elements other than the goal; 'first' credits the earliest, 'linear' each element alike,
-- 'time-decay' each by 2^-(whole half-lives $half_us from its latest arrival to the achievement),
-- normalised per achiever; no moves: the element the achievement happened on (NULL: entered at
-- the goal). Credit as a double, and the achievers credited, per element.
, first_ach AS (
    SELECT a.contact_id, arg_min(a.seq, a.seq) AS seq, arg_min(a.entry_id, a.seq) AS entry_id,
           arg_min(a.occurred_at, a.seq) AS achieved_at, arg_min(a.from_element, a.seq) AS from_element
    FROM achievements a JOIN cohort USING (contact_id)
    WHERE a.map_id = $map_id AND a.goal_id = $goal
    GROUP BY a.contact_id
),
path AS (
    SELECT f.contact_id, t.to_element AS element_id, min(t.seq) AS first_seq,
           max(t.occurred_at) AS last_at, any_value(f.achieved_at) AS achieved_at
    FROM first_ach f
    JOIN t ON t.contact_id = f.contact_id AND t.entry_id = f.entry_id AND t.seq < f.seq
    WHERE t.to_element IS NOT NULL AND t.to_element <> $goal
    GROUP BY ALL
),
weighted AS (
    SELECT contact_id, element_id,
           CASE $model
               WHEN 'first' THEN CASE WHEN first_seq = min(first_seq) OVER (PARTITION BY contact_id)
                                      THEN 1.0 ELSE 0.0 END
               WHEN 'linear' THEN 1.0
               ELSE pow(0.5, greatest(date_diff('microsecond', last_at, achieved_at), 0) // $half_us)
           END AS w
    FROM path
),
credit AS (
    SELECT contact_id, element_id, w / sum(w) OVER (PARTITION BY contact_id) AS credit
    FROM weighted
    UNION ALL
    SELECT contact_id, from_element, 1.0
    FROM first_ach WHERE contact_id NOT IN (SELECT contact_id FROM path)
)
SELECT element_id, sum(credit) AS credit, count(*) FILTER (WHERE credit > 0) AS contacts
FROM credit GROUP BY element_id
