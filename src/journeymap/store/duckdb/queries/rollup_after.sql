-- After a fold: what the rows of the members of the contacts $ids hold now, less
-- what they held before it (`_jm_flow`, rollup_before.sql), added to rs_flow; a group left with
-- no summary row goes.
MERGE INTO rs_flow f
USING (
    SELECT mapk, k, u1, u2, u3, u4, u5, day, sum(rows) AS rows, sum(visitors) AS visitors,
           sum(here_now) AS here_now, sum(visits) AS visits,
           sum(left_by_connector) AS left_by_connector
    FROM (SELECT * FROM _jm_flow UNION ALL SELECT * FROM rs_flow_rows(1, $ids::VARCHAR[]))
    GROUP BY ALL
    HAVING sum(rows) <> 0 OR sum(visitors) <> 0 OR sum(here_now) <> 0 OR sum(visits) <> 0
        OR sum(left_by_connector) <> 0
) s
ON f.mapk = s.mapk AND f.k = s.k AND f.u1 = s.u1 AND f.u2 = s.u2 AND f.u3 = s.u3
   AND f.u4 = s.u4 AND f.u5 = s.u5 AND f.day = s.day
WHEN MATCHED AND f.rows + s.rows = 0 THEN DELETE
WHEN MATCHED THEN UPDATE SET
    rows = f.rows + s.rows, visitors = f.visitors + s.visitors,
    here_now = f.here_now + s.here_now, visits = f.visits + s.visits,
    left_by_connector = f.left_by_connector + s.left_by_connector
WHEN NOT MATCHED THEN INSERT VALUES (
    s.mapk, s.k, s.u1, s.u2, s.u3, s.u4, s.u5, s.day, s.rows, s.visitors, s.here_now,
    s.visits, s.left_by_connector
);
