-- Marketing ROI per first-touch UTM value of each field in {by}, over the cohort: contacts
-- brought, achievers of {goal} (of any goal when NULL) and their revenue (net spend, all time),
-- beside the cost entered for that value. A cost period counts in proportion to its days inside
-- [{cost_from}, {cost_to}] (NULL: open), in whole cents rounded half up per cost row. Values
-- with a cost but no contacts get a row, except when the cohort filters that field to another
-- value. `all_contacts` counts every contact the value brought in the date range, whatever the
-- UTM filters, so a filtered cohort can be given its share of the value's cost.
WITH c AS (
    SELECT contact_id
    FROM jm_cohort(map_id = {map_id:String}, last_touch = {last_touch:Bool},
              from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
              utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
              utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
              utm_term = {utm_term:Nullable(String)})
),
everyone AS (
    SELECT contact_id
    FROM jm_cohort(map_id = {map_id:String}, last_touch = false,
                   from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
                   utm_source = NULL, utm_medium = NULL, utm_campaign = NULL, utm_content = NULL,
                   utm_term = NULL)
),
fields AS (
    SELECT f.1 AS utm_field, f.2 AS pos
    FROM (SELECT arrayJoin(arrayZip({by:Array(String)},
                                    range(1, length({by:Array(String)}) + 1))) AS f)
),
people AS (
    -- everyone once, with whether the cohort holds it; the lookups below are joined to these
    -- contacts only, so they test no cohort of their own
    SELECT contact_id, contact_id IN c AS in_cohort FROM everyone
),
touch AS (
    SELECT contact_id,
           [first_utm_source, first_utm_medium, first_utm_campaign, first_utm_content,
            first_utm_term] AS firsts
    FROM contacts FINAL
),
spend AS (
    SELECT contact_id, sum(amount) AS total FROM purchases GROUP BY contact_id
),
achiever AS (
    SELECT DISTINCT contact_id, true AS achieved
    FROM achievements
    WHERE map_id = {map_id:String}
      AND ({goal:Nullable(String)} IS NULL OR goal_id = {goal:Nullable(String)})
),
member AS (
    SELECT f.utm_field AS utm_field,
           coalesce(nullIf(
               u.firsts[indexOf(['source', 'medium', 'campaign', 'content', 'term'], f.utm_field)],
               ''), '(none)') AS utm_value,
           e.in_cohort AS in_cohort, e.in_cohort AND a.achieved IS NOT NULL AS achieved,
           if(e.in_cohort, coalesce(s.total, 0), 0) AS net_spend
    FROM people e
    CROSS JOIN fields f
    LEFT JOIN touch u ON u.contact_id = e.contact_id
    LEFT JOIN spend s ON s.contact_id = e.contact_id
    LEFT JOIN achiever a ON a.contact_id = e.contact_id
),
whole AS (
    SELECT utm_field, utm_value, count() AS all_contacts FROM member GROUP BY utm_field, utm_value
),
brought AS (
    SELECT utm_field, utm_value, count() AS contacts, countIf(achieved) AS achievers,
           sum(net_spend) AS revenue
    FROM member
    WHERE in_cohort
    GROUP BY utm_field, utm_value
),
spans AS (
    SELECT utm_field, utm_value, toInt64(round(amount * 100)) AS cents,
           dateDiff('day', period_start, period_end) + 1 AS period_days,
           dateDiff('day',
                    greatest(period_start, coalesce({cost_from:Nullable(Date32)}, period_start)),
                    least(period_end, coalesce({cost_to:Nullable(Date32)}, period_end))) + 1 AS days
    FROM marketing_costs
    WHERE has({by:Array(String)}, utm_field)
),
spent AS (
    SELECT utm_field, utm_value,
           sum(intDiv(2 * cents * days + period_days, 2 * period_days)) AS cost_cents
    FROM spans
    WHERE days > 0
    GROUP BY utm_field, utm_value
),
wanted AS (
    SELECT utm_field, pos,
           if({last_touch:Bool}, NULL,
              [{utm_source:Nullable(String)}, {utm_medium:Nullable(String)},
               {utm_campaign:Nullable(String)}, {utm_content:Nullable(String)},
               {utm_term:Nullable(String)}][indexOf(['source', 'medium', 'campaign', 'content',
                                                    'term'], utm_field)]) AS only_value
    FROM fields
),
joined AS (
    SELECT coalesce(b.utm_field, s.utm_field) AS utm_field,
           coalesce(b.utm_value, s.utm_value) AS utm_value,
           b.utm_field IS NOT NULL AS brought_any, s.utm_value AS cost_value,
           coalesce(b.contacts, 0) AS contacts, coalesce(b.achievers, 0) AS achievers,
           coalesce(b.revenue, 0) AS revenue, coalesce(s.cost_cents, 0) AS cost_cents
    FROM brought b
    FULL JOIN spent s ON s.utm_field = b.utm_field AND s.utm_value = b.utm_value
)
SELECT j.utm_field AS utm_field, j.utm_value AS utm_value, j.contacts AS contacts,
       j.achievers AS achievers, j.revenue AS revenue, j.cost_cents AS cost_cents,
       coalesce(a.all_contacts, 0) AS all_contacts
FROM joined j
JOIN wanted w ON w.utm_field = j.utm_field
LEFT JOIN whole a ON a.utm_field = j.utm_field AND a.utm_value = j.utm_value
WHERE j.brought_any OR w.only_value IS NULL OR w.only_value = j.cost_value
ORDER BY w.pos, utm_value
SETTINGS join_use_nulls = 1
