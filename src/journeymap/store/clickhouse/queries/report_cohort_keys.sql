-- A report's cohort filters as bound into every report_* query: ClickHouse's cohort view
-- (jm_cohort) takes them as given, so they come back as they went in.
SELECT {map_id:String} AS map_id,
       {from:Nullable(DateTime64(6, 'UTC'))} AS from,
       {to:Nullable(DateTime64(6, 'UTC'))} AS to,
       {last_touch:Bool} AS last_touch,
       {utm_source:Nullable(String)} AS utm_source,
       {utm_medium:Nullable(String)} AS utm_medium,
       {utm_campaign:Nullable(String)} AS utm_campaign,
       {utm_content:Nullable(String)} AS utm_content,
       {utm_term:Nullable(String)} AS utm_term
