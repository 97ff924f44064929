-- Sizes of the facts and summaries behind a map's reports (printed by bench/reports.py).
SELECT
    (SELECT count(*) FROM rs_member WHERE map_id = $map_id) AS contacts,
    (SELECT count(*) FROM transitions WHERE map_id = $map_id AND to_element IS NOT NULL) AS visits,
    (SELECT count(*) FROM transitions WHERE map_id = $map_id) AS transitions,
    (SELECT count(*) FROM achievements WHERE map_id = $map_id) AS achievements,
    (SELECT count(*) FROM email_events WHERE map_id = $map_id) AS email_events,
    (SELECT count(*) FROM purchases) AS purchases,
    (SELECT count(*) FROM page_visits) AS page_visits,
    (SELECT count(*) FROM rs_visit WHERE mapk = rs_key_of($map_id, 'map', $map_id)) AS summary_visit_rows
