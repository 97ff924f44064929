-- Marketing ROI per first-touch UTM value of each field in $by, over the cohort: contacts
-- brought, achievers of $goal (of any goal when NULL) and their revenue (net spend, all time),
-- beside the cost entered for that value. A cost period counts in proportion to its days inside
-- [$cost_from, $cost_to] (NULL: open), in whole cents rounded half up per cost row. Values with
-- a cost but no contacts get a row, except when the cohort filters that field to another value.
-- `all_contacts` counts every contact the value brought in the date range, whatever the UTM
-- filters, so a filtered cohort can be given its share of the value's cost.
WITH c AS (
    SELECT mk, net_spend
    FROM rs_member_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                      $l1, $l2, $l3, $l4, $l5)
),
everyone AS (
    SELECT mk, first_utm_source, first_utm_medium, first_utm_campaign, first_utm_content,
           first_utm_term
    FROM rs_member_of(false, $mapk, $lo, $hi, NULL, NULL, NULL, NULL, NULL,
                      NULL, NULL, NULL, NULL, NULL)
),
fields AS (
    SELECT unnest($by::VARCHAR[]) AS utm_field, generate_subscripts($by::VARCHAR[], 1) AS pos
),
achiever AS (
    SELECT DISTINCT g.mk
    FROM rs_goal g JOIN c USING (mk)
    WHERE g.mapk = $mapk
      AND ($goal::VARCHAR IS NULL
           OR g.gk = (SELECT k FROM rs_key WHERE mapk = $mapk AND kind = 'element'
                                             AND name = $goal::VARCHAR))
),
member AS (
    SELECT f.utm_field,
           coalesce(nullif(CASE f.utm_field
               WHEN 'source' THEN e.first_utm_source
               WHEN 'medium' THEN e.first_utm_medium
               WHEN 'campaign' THEN e.first_utm_campaign
               WHEN 'content' THEN e.first_utm_content
               WHEN 'term' THEN e.first_utm_term
           END, ''), '(none)') AS utm_value,
           c.net_spend, c.mk IS NOT NULL AS in_cohort, a.mk IS NOT NULL AS achieved
    FROM everyone e
    LEFT JOIN c USING (mk)
    CROSS JOIN fields f
    LEFT JOIN achiever a USING (mk)
),
whole AS (
    SELECT utm_field, utm_value, count(*) AS all_contacts
    FROM member
    GROUP BY ALL
),
brought AS (
    SELECT utm_field, utm_value, count(*) AS contacts,
           count(*) FILTER (WHERE achieved) AS achievers, sum(net_spend) AS revenue
    FROM member
    WHERE in_cohort
    GROUP BY ALL
),
spans AS (
    SELECT k.utm_field, k.utm_value, round(k.amount * 100)::BIGINT AS cents,
           date_diff('day', k.period_start, k.period_end) + 1 AS period_days,
           date_diff('day', greatest(k.period_start, coalesce($cost_from::DATE, k.period_start)),
                     least(k.period_end, coalesce($cost_to::DATE, k.period_end))) + 1 AS days
    FROM marketing_costs k
    WHERE list_contains($by::VARCHAR[], k.utm_field)
),
spent AS (
    SELECT utm_field, utm_value, sum((2 * cents * days + period_days) // (2 * period_days)) AS cost_cents
    FROM spans
    WHERE days > 0
    GROUP BY ALL
),
wanted AS (
    SELECT f.utm_field, CASE WHEN $last_touch THEN NULL ELSE CASE f.utm_field
               WHEN 'source' THEN $utm_source::VARCHAR
               WHEN 'medium' THEN $utm_medium::VARCHAR
               WHEN 'campaign' THEN $utm_campaign::VARCHAR
               WHEN 'content' THEN $utm_content::VARCHAR
               WHEN 'term' THEN $utm_term::VARCHAR
           END END AS only_value, f.pos
    FROM fields f
)
SELECT w.utm_field, coalesce(b.utm_value, s.utm_value) AS utm_value,
       coalesce(b.contacts, 0) AS contacts, coalesce(b.achievers, 0) AS achievers,
       coalesce(b.revenue, 0) AS revenue, coalesce(s.cost_cents, 0) AS cost_cents,
       coalesce(a.all_contacts, 0) AS all_contacts
FROM brought b
FULL JOIN spent s ON s.utm_field = b.utm_field AND s.utm_value = b.utm_value
JOIN wanted w ON w.utm_field = coalesce(b.utm_field, s.utm_field)
LEFT JOIN whole a ON a.utm_field = w.utm_field AND a.utm_value = coalesce(b.utm_value, s.utm_value)
WHERE b.utm_field IS NOT NULL OR w.only_value IS NULL OR w.only_value = s.utm_value
ORDER BY w.pos, utm_value
