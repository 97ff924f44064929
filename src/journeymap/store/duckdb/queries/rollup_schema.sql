-- The flow rollup (store/duckdb/rollup.py): what report_elements and report_connectors add up
-- over rs_visit and rs_link, summed per map, element or connector, first-touch UTM codes and UTC
-- day of the members' first entry. Kept exact in every append from the summary rows a fold
-- changes (rollup_before.sql, rollup_after.sql), built whole by a rebuild (rollup_build.sql) and
-- for the members an import makes (rollup_import.sql). Members not entered yet (ce NULL) are in
-- no cohort and not in it.
CREATE TABLE IF NOT EXISTS rs_flow (
    mapk INTEGER NOT NULL,
    k INTEGER NOT NULL,               -- an element's key (rows of rs_visit) or a connector's (rs_link)
    u1 INTEGER NOT NULL, u2 INTEGER NOT NULL, u3 INTEGER NOT NULL,  -- first-touch codes
    u4 INTEGER NOT NULL, u5 INTEGER NOT NULL,
    day INTEGER NOT NULL,             -- UTC day of the first entry: rs_day(ce)
    rows BIGINT NOT NULL,             -- summary rows summed (a connector's: its contacts)
    visitors BIGINT NOT NULL,         -- rows with a first arrival
    here_now BIGINT NOT NULL,         -- rows with a live position
    visits BIGINT NOT NULL,           -- arrivals, repeats included
    left_by_connector BIGINT NOT NULL -- rows with a departure along a connector
);
-- The UTC day (days since 1970-01-01, rounded down) of an instant in epoch microseconds.
CREATE OR REPLACE MACRO rs_day(ce) AS
    ce // 86400000000 - CASE WHEN ce % 86400000000 < 0 THEN 1 ELSE 0 END;
-- The rows of rs_visit and rs_link of every member of the contacts p_ids (a list of ids), each
-- as its share of rs_flow times p_sign. Rows are matched on the first-touch codes too (they carry
-- their member's), so the lookup skips the row groups of other cohorts.
CREATE OR REPLACE MACRO rs_flow_rows(p_sign, p_ids) AS TABLE
WITH m AS MATERIALIZED (
    SELECT mk, u1, u2, u3, u4, u5 FROM rs_member
    WHERE contact_id IN (SELECT unnest(p_ids))
)
SELECT v.mapk, v.ek AS k, v.u1, v.u2, v.u3, v.u4, v.u5, rs_day(v.ce) AS day,
       p_sign AS rows, p_sign * (v.first_seq IS NOT NULL)::BIGINT AS visitors,
       p_sign * v.live AS here_now, p_sign * v.visits AS visits,
       p_sign * (v.connector_departures > 0)::BIGINT AS left_by_connector
FROM rs_visit v
JOIN m ON m.mk = v.mk AND m.u1 = v.u1 AND m.u2 = v.u2 AND m.u3 = v.u3 AND m.u4 = v.u4
     AND m.u5 = v.u5
WHERE v.ce IS NOT NULL
UNION ALL
SELECT l.mapk, l.ck, l.u1, l.u2, l.u3, l.u4, l.u5, rs_day(l.ce), p_sign, 0, 0, 0, 0
FROM rs_link l
JOIN m ON m.mk = l.mk AND m.u1 = l.u1 AND m.u2 = l.u2 AND m.u3 = l.u3 AND m.u4 = l.u4
     AND m.u5 = l.u5
WHERE l.ce IS NOT NULL;
-- A range [lo, hi) of first entries (epoch microseconds) as whole UTC days from the flow rollup,
-- [rs_whole_from(lo), rs_whole_to(lo, hi)), and rows for the rest: [lo, rs_whole_from(lo)) and
-- [rs_whole_to(lo, hi), hi), empty when the range is inside one day (to = from).
CREATE OR REPLACE MACRO rs_whole_from(lo) AS rs_day(lo + 86399999999) * 86400000000;
CREATE OR REPLACE MACRO rs_whole_to(lo, hi) AS greatest(rs_day(hi) * 86400000000, rs_whole_from(lo));
-- The rollup's rows in a report's first-touch cohort (report_cohort_keys.sql): its map, whole
-- UTC days of [p_lo, p_hi), and each first-touch code asked for.
CREATE OR REPLACE MACRO rs_flow_of(p_mapk, p_lo, p_hi, c1, c2, c3, c4, c5) AS TABLE
SELECT * FROM rs_flow
WHERE mapk = p_mapk
  AND day * 86400000000 >= rs_whole_from(p_lo) AND day * 86400000000 < rs_whole_to(p_lo, p_hi)
  AND (c1 IS NULL OR u1 = c1) AND (c2 IS NULL OR u2 = c2) AND (c3 IS NULL OR u3 = c3)
  AND (c4 IS NULL OR u4 = c4) AND (c5 IS NULL OR u5 = c5);
