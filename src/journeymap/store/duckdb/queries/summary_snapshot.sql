-- Every summary row keyed by contact, map and names instead of the member, name and UTM keys
-- (which differ between an incremental build and a rebuild), as text: for tests that compare
-- the two. Rows show the cohort attributes they carry, as their member has them; page visits
-- (no member) are keyed by visitor and URL, rows with the same values summed.
WITH utm AS (SELECT u, value FROM rs_utm),
member AS (
    SELECT m.mk, m.contact_id, m.map_id,
           concat_ws('|', m.ce, u1.value, u2.value, u3.value, u4.value, u5.value) AS carried
    FROM rs_member m
    LEFT JOIN utm u1 ON u1.u = m.u1 LEFT JOIN utm u2 ON u2.u = m.u2
    LEFT JOIN utm u3 ON u3.u = m.u3 LEFT JOIN utm u4 ON u4.u = m.u4
    LEFT JOIN utm u5 ON u5.u = m.u5
),
carried AS (
    SELECT 'visit' AS summary, mk, ek AS item, ce, u1, u2, u3, u4, u5 FROM rs_visit
    UNION ALL SELECT 'link', mk, ck, ce, u1, u2, u3, u4, u5 FROM rs_link
    UNION ALL SELECT 'goal', mk, gk, ce, u1, u2, u3, u4, u5 FROM rs_goal
    UNION ALL SELECT 'email', mk, ek, ce, u1, u2, u3, u4, u5 FROM rs_email
    UNION ALL SELECT 'delivery', mk, ek, ce, u1, u2, u3, u4, u5 FROM rs_delivery
    UNION ALL SELECT 'stay', mk, ek, ce, u1, u2, u3, u4, u5 FROM rs_stay
)
SELECT 'member' AS summary, m.contact_id, m.map_id, '' AS item,
       concat_ws('|', m.cohort_at, m.ce, m.first_utm_source, m.first_utm_medium,
                 m.first_utm_campaign, m.first_utm_content, m.first_utm_term, m.last_utm_source,
                 m.last_utm_medium, m.last_utm_campaign, m.last_utm_content, m.last_utm_term,
                 w1.value, w2.value, w3.value, w4.value, w5.value, m.net_spend,
                 k.name) AS figures
FROM rs_member m
LEFT JOIN rs_key k ON k.k = m.mapk
LEFT JOIN utm w1 ON w1.u = m.w1 LEFT JOIN utm w2 ON w2.u = m.w2 LEFT JOIN utm w3 ON w3.u = m.w3
LEFT JOIN utm w4 ON w4.u = m.w4 LEFT JOIN utm w5 ON w5.u = m.w5
UNION ALL
SELECT 'visit', m.contact_id, m.map_id, k.name,
       concat_ws('|', v.first_seq, v.first_at, v.last_arrival_seq, v.last_departure_seq,
                 v.visits, v.connector_departures, v.live)
FROM rs_visit v JOIN member m USING (mk) JOIN rs_key k ON k.k = v.ek
UNION ALL
SELECT 'link', m.contact_id, m.map_id, k.name, CAST(l.moves AS VARCHAR)
FROM rs_link l JOIN member m USING (mk) JOIN rs_key k ON k.k = l.ck
UNION ALL
SELECT 'goal', m.contact_id, m.map_id, k.name,
       concat_ws('|', g.first_seq, g.first_at, coalesce(f.name, '(entered)'), g.last_seq,
                 g.achievements)
FROM rs_goal g JOIN member m USING (mk) JOIN rs_key k ON k.k = g.gk
LEFT JOIN rs_key f ON f.k = g.first_from
UNION ALL
SELECT 'email', m.contact_id, m.map_id, k.name,
       concat_ws('|', e.sent, e.opened, e.clicked, e.unsubscribed)
FROM rs_email e JOIN member m USING (mk) JOIN rs_key k ON k.k = e.ek
UNION ALL
SELECT 'delivery', m.contact_id, m.map_id, k.name,
       concat_ws('|', d.queued, d.delivered, d.failed, d.last_failed_at, d.last_error)
FROM rs_delivery d JOIN member m USING (mk) JOIN rs_key k ON k.k = d.ek
UNION ALL
SELECT 'stay', m.contact_id, m.map_id, k.name,
       concat_ws('|', coalesce(c.name, '(the stay)'), s.arrived_seq, s.stay_us, s.at_us,
                 coalesce(CAST(s.left_us AS VARCHAR), 'here'), s.left_exit, s.due_us)
FROM rs_stay s JOIN member m USING (mk) JOIN rs_key k ON k.k = s.ek
LEFT JOIN rs_key c ON c.k = s.ck
UNION ALL
SELECT 'page', v.visitor_id, '', u.url,
       concat_ws('|', p.vt, c1.value, c2.value, c3.value, c4.value, c5.value, sum(p.visits))
FROM rs_page p JOIN rs_visitor v USING (vk) JOIN rs_page_url u USING (uk)
LEFT JOIN utm c1 ON c1.u = p.u1 LEFT JOIN utm c2 ON c2.u = p.u2 LEFT JOIN utm c3 ON c3.u = p.u3
LEFT JOIN utm c4 ON c4.u = p.u4 LEFT JOIN utm c5 ON c5.u = p.u5
GROUP BY v.visitor_id, u.url, p.vt, c1.value, c2.value, c3.value, c4.value, c5.value
UNION ALL
SELECT 'carried ' || c.summary, m.contact_id, m.map_id, k.name,
       concat_ws('|', c.ce, u1.value, u2.value, u3.value, u4.value, u5.value) = m.carried
FROM carried c JOIN member m USING (mk) JOIN rs_key k ON k.k = c.item
LEFT JOIN utm u1 ON u1.u = c.u1 LEFT JOIN utm u2 ON u2.u = c.u2 LEFT JOIN utm u3 ON u3.u = c.u3
LEFT JOIN utm u4 ON u4.u = c.u4 LEFT JOIN utm u5 ON u5.u = c.u5
ORDER BY ALL
