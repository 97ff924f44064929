-- rs_flow recomputed whole from rs_visit and rs_link (a rebuild, or a store of summary layout
-- 5 opened by a version that keeps the rollup), in (map, cohort attributes, key) order.
DELETE FROM rs_flow;
INSERT INTO rs_flow
SELECT * FROM (
    SELECT mapk, ek AS k, u1, u2, u3, u4, u5, rs_day(ce) AS day, count(*) AS rows,
           count(first_seq) AS visitors, sum(live) AS here_now, sum(visits) AS visits,
           count(*) FILTER (WHERE connector_departures > 0) AS left_by_connector
    FROM rs_visit WHERE ce IS NOT NULL
    GROUP BY ALL
    UNION ALL
    SELECT mapk, ck, u1, u2, u3, u4, u5, rs_day(ce), count(*), 0, 0, 0, 0
    FROM rs_link WHERE ce IS NOT NULL
    GROUP BY ALL
)
ORDER BY mapk, u1, u2, u3, u4, u5, day, k;
