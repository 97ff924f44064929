-- Every summary row keyed by contact and map instead of the member key (which differs between
-- an incremental build and a rebuild), as text: for tests that compare the two.
SELECT 'member' AS summary, contact_id, map_id, '' AS item,
       concat_ws('|', cohort_at, first_utm_source, first_utm_medium, first_utm_campaign,
                 first_utm_content, first_utm_term, last_utm_source, last_utm_medium,
                 last_utm_campaign, last_utm_content, last_utm_term, net_spend) AS figures
FROM rs_member
UNION ALL
SELECT 'visit', m.contact_id, m.map_id, v.element_id,
       concat_ws('|', v.first_seq, v.first_at, v.last_arrival_seq, v.last_departure_seq,
                 v.visits, v.connector_departures)
FROM rs_visit v JOIN rs_member m USING (mk)
UNION ALL
SELECT 'link', m.contact_id, m.map_id, l.connector_id, CAST(l.moves AS VARCHAR)
FROM rs_link l JOIN rs_member m USING (mk)
UNION ALL
SELECT 'goal', m.contact_id, m.map_id, g.goal_id,
       concat_ws('|', g.first_seq, g.first_at, coalesce(g.first_from, '(entered)'), g.last_seq,
                 g.achievements)
FROM rs_goal g JOIN rs_member m USING (mk)
UNION ALL
SELECT 'email', m.contact_id, m.map_id, e.element_id,
       concat_ws('|', e.sent, e.opened, e.clicked, e.unsubscribed)
FROM rs_email e JOIN rs_member m USING (mk)
ORDER BY ALL
