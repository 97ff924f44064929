-- Rows per fact table and imported files: what an import added, for checks and tests.
SELECT (SELECT count(*) FROM contacts) AS contacts,
       (SELECT count(*) FROM entries) AS entries,
       (SELECT count(*) FROM transitions) AS transitions,
       (SELECT count(*) FROM achievements) AS achievements,
       (SELECT count(*) FROM email_events) AS email_events,
       (SELECT count(*) FROM purchases) AS purchases,
       (SELECT count(*) FROM page_visits) AS page_visits,
       (SELECT count(*) FROM marketing_costs) AS marketing_costs,
       (SELECT count(*) FROM imports) AS imports
