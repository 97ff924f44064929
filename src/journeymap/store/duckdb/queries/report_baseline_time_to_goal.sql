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
-- Time to goal: each contact who visited an element, from its first arrival there to its first
-- achievement of $goal after it, else censored at its last exit when it holds no position on the
-- map now, else at $now; Kaplan-Meier by running products over the distinct times.
, first_arrivals AS (
    SELECT contact_id, to_element AS element_id, min(seq) AS first_seq,
           arg_min(occurred_at, seq) AS first_at
    FROM t WHERE to_element IS NOT NULL GROUP BY ALL
),
arr AS (
    SELECT contact_id, to_element AS element_id, max(seq) AS s
    FROM t WHERE to_element IS NOT NULL GROUP BY ALL
),
dep AS (
    SELECT contact_id, from_element AS element_id, max(seq) AS s
    FROM t WHERE from_element IS NOT NULL GROUP BY ALL
),
on_map AS (
    SELECT DISTINCT a.contact_id
    FROM arr a LEFT JOIN dep d USING (contact_id, element_id)
    WHERE jm_live(a.s, d.s)
),
last_exit AS (
    SELECT contact_id, max(occurred_at) AS exit_at FROM t WHERE kind = 'exit' GROUP BY contact_id
),
ach AS (
    SELECT f.contact_id, f.element_id, arg_min(a.occurred_at, a.seq) AS achieved_at
    FROM first_arrivals f
    JOIN achievements a
      ON a.contact_id = f.contact_id AND a.map_id = $map_id AND a.goal_id = $goal
     AND a.seq > f.first_seq
    GROUP BY ALL
),
obs AS (
    SELECT f.element_id, h.achieved_at IS NOT NULL AS event,
           greatest(date_diff('microsecond', f.first_at, coalesce(h.achieved_at,
               CASE WHEN o.contact_id IS NULL THEN x.exit_at END, $now::TIMESTAMPTZ)), 0)
               / 1e6 AS s
    FROM first_arrivals f
    LEFT JOIN ach h USING (contact_id, element_id)
    LEFT JOIN on_map o USING (contact_id)
    LEFT JOIN last_exit x USING (contact_id)
),
times AS (
    SELECT element_id, s, count(*) FILTER (WHERE event) AS d, count(*) AS out
    FROM obs GROUP BY ALL
),
risk AS (
    SELECT *, sum(out) OVER (PARTITION BY element_id ORDER BY s DESC) AS at_risk FROM times
),
km AS (
    SELECT element_id, s, d, out, exp(sum(ln(greatest(1 - d / at_risk, 1e-300))) OVER (
               PARTITION BY element_id ORDER BY s)) AS surv
    FROM risk
)
SELECT element_id, sum(out) AS n, sum(d) AS converted,
       CASE WHEN max(s) >= 30 * 86400
            THEN 1 - coalesce(min(surv) FILTER (WHERE s <= 30 * 86400), 1) END AS by_30d
FROM km GROUP BY element_id
