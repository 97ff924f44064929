-- Fold a block of transitions (`_jm_block`) into the member cohort dates, element visits and
-- connector moves. Runs after summary_members.sql, in the append's transaction.
UPDATE rs_member SET cohort_at = e.entered_at
FROM (
    SELECT contact_id, map_id, min(occurred_at) AS entered_at
    FROM _jm_block WHERE kind = 'enter' GROUP BY ALL
) e
WHERE rs_member.contact_id = e.contact_id AND rs_member.map_id = e.map_id
  AND (rs_member.cohort_at IS NULL OR e.entered_at < rs_member.cohort_at);

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
    SELECT m.mk, m.map_id, x.element_id, a.first_seq, a.first_at, a.last_arrival_seq,
           d.last_departure_seq, coalesce(a.visits, 0) AS visits,
           coalesce(d.connector_departures, 0) AS connector_departures
    FROM (
        SELECT contact_id, map_id, element_id FROM arrivals
        UNION
        SELECT contact_id, map_id, element_id FROM departures
    ) x
    JOIN rs_member m ON m.contact_id = x.contact_id AND m.map_id = x.map_id
    LEFT JOIN arrivals a
        ON a.contact_id = x.contact_id AND a.map_id = x.map_id AND a.element_id = x.element_id
    LEFT JOIN departures d
        ON d.contact_id = x.contact_id AND d.map_id = x.map_id AND d.element_id = x.element_id
) s
ON v.mk = s.mk AND v.element_id = s.element_id
WHEN MATCHED THEN UPDATE SET
    first_at = CASE WHEN v.first_seq IS NULL OR s.first_seq < v.first_seq
                    THEN s.first_at ELSE v.first_at END,
    first_seq = least(v.first_seq, s.first_seq),
    last_arrival_seq = greatest(v.last_arrival_seq, s.last_arrival_seq),
    last_departure_seq = greatest(v.last_departure_seq, s.last_departure_seq),
    visits = v.visits + s.visits,
    connector_departures = v.connector_departures + s.connector_departures
WHEN NOT MATCHED THEN INSERT VALUES (
    s.mk, s.map_id, s.element_id, s.first_seq, s.first_at, s.last_arrival_seq,
    s.last_departure_seq, s.visits, s.connector_departures
);

MERGE INTO rs_link l
USING (
    SELECT m.mk, m.map_id, b.connector_id, count(*) AS moves
    FROM _jm_block b
    JOIN rs_member m ON m.contact_id = b.contact_id AND m.map_id = b.map_id
    WHERE b.connector_id IS NOT NULL
    GROUP BY ALL
) s
ON l.mk = s.mk AND l.connector_id = s.connector_id
WHEN MATCHED THEN UPDATE SET moves = l.moves + s.moves
WHEN NOT MATCHED THEN INSERT VALUES (s.mk, s.map_id, s.connector_id, s.moves);
