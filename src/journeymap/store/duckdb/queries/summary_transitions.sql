-- Fold a block of transitions (`_jm_block`) into element visits per member, each row carrying
-- its member's cohort attributes. Runs after summary_members_enter.sql (`_jm_mk`) and
-- summary_cohort.sql.
MERGE INTO rs_visit v
USING (
    WITH arrivals AS (
        SELECT contact_id, map_id, to_element AS element_id,
               min(seq) AS first_seq, arg_min(occurred_at, seq) AS first_at,
               max(seq) AS last_arrival_seq, count(*) AS visits
        FROM _jm_block WHERE to_element IS NOT NULL GROUP BY ALL
    ),
    departures AS (
        SELECT contact_id, map_id, from_element AS element_id,
               max(seq) AS last_departure_seq, count(connector_id) AS connector_departures
        FROM _jm_block WHERE from_element IS NOT NULL GROUP BY ALL
    )
    SELECT m.mapk, e.k AS ek, m.mk, m.ce, m.u1, m.u2, m.u3, m.u4, m.u5,
           a.first_seq, a.first_at, a.last_arrival_seq, d.last_departure_seq,
           coalesce(a.visits, 0) AS visits,
           coalesce(d.connector_departures, 0) AS connector_departures
    FROM (
        SELECT contact_id, map_id, element_id FROM arrivals
        UNION
        SELECT contact_id, map_id, element_id FROM departures
    ) x
    JOIN _jm_mk m ON m.contact_id = x.contact_id AND m.map_id = x.map_id
    JOIN rs_key e ON e.mapk = m.mapk AND e.kind = 'element' AND e.name = x.element_id
    LEFT JOIN arrivals a
        ON a.contact_id = x.contact_id AND a.map_id = x.map_id AND a.element_id = x.element_id
    LEFT JOIN departures d
        ON d.contact_id = x.contact_id AND d.map_id = x.map_id AND d.element_id = x.element_id
    ORDER BY m.mapk, m.u1, m.u2, m.u3, m.u4, m.u5, m.ce, m.mk, e.k
) s
-- A member's rows carry its cohort attributes: matching on them too skips the row groups of
-- other cohorts, and new rows land in (map, cohort, member) order.
ON v.mk = s.mk AND v.ek = s.ek
   AND v.u1 = s.u1 AND v.u2 = s.u2 AND v.u3 = s.u3 AND v.u4 = s.u4 AND v.u5 = s.u5
WHEN MATCHED THEN UPDATE SET
    first_at = CASE WHEN v.first_seq IS NULL OR s.first_seq < v.first_seq
                    THEN s.first_at ELSE v.first_at END,
    first_seq = least(v.first_seq, s.first_seq),
    last_arrival_seq = greatest(v.last_arrival_seq, s.last_arrival_seq),
    last_departure_seq = greatest(v.last_departure_seq, s.last_departure_seq),
    visits = v.visits + s.visits,
    connector_departures = v.connector_departures + s.connector_departures,
    live = jm_live(greatest(v.last_arrival_seq, s.last_arrival_seq),
                   greatest(v.last_departure_seq, s.last_departure_seq))::UTINYINT
WHEN NOT MATCHED THEN INSERT VALUES (
    s.mapk, s.ek, s.mk, s.ce, s.u1, s.u2, s.u3, s.u4, s.u5, s.first_seq, s.first_at,
    s.last_arrival_seq, s.last_departure_seq, s.visits, s.connector_departures,
    jm_live(s.last_arrival_seq, s.last_departure_seq)::UTINYINT
);
