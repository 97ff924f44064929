-- Report summaries (journeymap.reports): per member (a contact on a map) and element, goal,
-- connector and email, kept current inside every append by store/duckdb/summaries.py and always
-- rebuildable from the facts (`journeymap rebuild`). Maps, elements and connectors are named by
-- integer keys (rs_key) and UTM values by integer codes (rs_utm, 0: none). Every per-member row
-- carries its member's cohort attributes (map key, first entry as epoch microseconds, first-touch
-- UTM codes), so a report filters rows with plain predicates instead of joining the cohort.
CREATE SEQUENCE IF NOT EXISTS rs_key_seq;
CREATE SEQUENCE IF NOT EXISTS rs_utm_seq;
CREATE TABLE IF NOT EXISTS rs_key (
    k INTEGER NOT NULL,               -- key of a map, an element or a connector
    mapk INTEGER NOT NULL,            -- the map's key (k itself for a map)
    kind VARCHAR NOT NULL,            -- 'map' (name: the map id), 'element' or 'connector'
    name VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS rs_utm (
    u INTEGER NOT NULL,               -- 0: no value ('(none)'); a missing or empty value codes 0
    value VARCHAR NOT NULL
);
INSERT INTO rs_utm SELECT 0, '(none)' WHERE NOT EXISTS (SELECT 1 FROM rs_utm WHERE u = 0);
CREATE TABLE IF NOT EXISTS rs_member (
    mk BIGINT NOT NULL,               -- member key: one per contact and map
    mapk INTEGER NOT NULL,
    contact_id VARCHAR NOT NULL,
    map_id VARCHAR NOT NULL,
    cohort_at TIMESTAMPTZ,            -- first entry into the map; NULL until the contact enters
    ce BIGINT,                        -- cohort_at as epoch microseconds
    first_utm_source VARCHAR, first_utm_medium VARCHAR, first_utm_campaign VARCHAR,
    first_utm_content VARCHAR, first_utm_term VARCHAR,
    last_utm_source VARCHAR, last_utm_medium VARCHAR, last_utm_campaign VARCHAR,
    last_utm_content VARCHAR, last_utm_term VARCHAR,
    u1 INTEGER NOT NULL, u2 INTEGER NOT NULL, u3 INTEGER NOT NULL,  -- first-touch codes
    u4 INTEGER NOT NULL, u5 INTEGER NOT NULL,
    w1 INTEGER NOT NULL, w2 INTEGER NOT NULL, w3 INTEGER NOT NULL,  -- last-touch codes
    w4 INTEGER NOT NULL, w5 INTEGER NOT NULL,
    net_spend DECIMAL(18, 2) NOT NULL -- every purchase of the contact, refunds netted
);
CREATE TABLE IF NOT EXISTS rs_visit (
    mapk INTEGER NOT NULL, ek INTEGER NOT NULL, mk BIGINT NOT NULL,
    ce BIGINT, u1 INTEGER NOT NULL, u2 INTEGER NOT NULL, u3 INTEGER NOT NULL,
    u4 INTEGER NOT NULL, u5 INTEGER NOT NULL,
    first_seq BIGINT,                 -- first arrival
    first_at TIMESTAMPTZ,
    last_arrival_seq BIGINT,
    last_departure_seq BIGINT,
    visits BIGINT NOT NULL,           -- arrivals, repeats included
    connector_departures BIGINT NOT NULL,
    live UTINYINT NOT NULL            -- 1: a live position here (jm_live, summary_live.sql)
);
CREATE TABLE IF NOT EXISTS rs_link (
    mapk INTEGER NOT NULL, ck INTEGER NOT NULL, mk BIGINT NOT NULL,
    ce BIGINT, u1 INTEGER NOT NULL, u2 INTEGER NOT NULL, u3 INTEGER NOT NULL,
    u4 INTEGER NOT NULL, u5 INTEGER NOT NULL,
    moves BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS rs_goal (
    mapk INTEGER NOT NULL, gk INTEGER NOT NULL, mk BIGINT NOT NULL,
    ce BIGINT, u1 INTEGER NOT NULL, u2 INTEGER NOT NULL, u3 INTEGER NOT NULL,
    u4 INTEGER NOT NULL, u5 INTEGER NOT NULL,
    first_seq BIGINT NOT NULL,        -- first achievement
    first_at TIMESTAMPTZ NOT NULL,
    first_from INTEGER,               -- element key where it happened; NULL: entered at the goal
    last_seq BIGINT NOT NULL,
    achievements BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS rs_email (
    mapk INTEGER NOT NULL, ek INTEGER NOT NULL, mk BIGINT NOT NULL,
    ce BIGINT, u1 INTEGER NOT NULL, u2 INTEGER NOT NULL, u3 INTEGER NOT NULL,
    u4 INTEGER NOT NULL, u5 INTEGER NOT NULL,
    sent BIGINT NOT NULL,
    opened BIGINT NOT NULL,
    clicked BIGINT NOT NULL,
    unsubscribed BIGINT NOT NULL
);
-- Every UTM value's code as one map (read once per statement), and the code of a value as
-- stored in it: a missing or empty value is '(none)', code 0.
CREATE OR REPLACE MACRO rs_codes() AS (SELECT map_from_entries(list((value, u))) FROM rs_utm);
CREATE OR REPLACE MACRO rs_code(codes, v) AS codes[coalesce(nullif(v, ''), '(none)')];
-- The key of a map's element or connector (kind 'map' and name p_map_id: the map's key).
CREATE OR REPLACE MACRO rs_key_of(p_map_id, p_kind, p_name) AS (
    SELECT e.k FROM rs_key e JOIN rs_key m ON m.k = e.mapk
    WHERE m.kind = 'map' AND m.name = p_map_id AND e.kind = p_kind AND e.name = p_name
);
-- Whether a summary row's carried cohort attributes pass a report's resolved filters
-- (report_cohort_keys.sql): map, first entry in [lo, hi), and each first-touch code asked for.
CREATE OR REPLACE MACRO rs_pass(mapk, ce, u1, u2, u3, u4, u5, p_mapk, p_lo, p_hi,
                                c1, c2, c3, c4, c5) AS
    mapk = p_mapk AND ce >= p_lo AND ce < p_hi
    AND (c1 IS NULL OR u1 = c1) AND (c2 IS NULL OR u2 = c2) AND (c3 IS NULL OR u3 = c3)
    AND (c4 IS NULL OR u4 = c4) AND (c5 IS NULL OR u5 = c5);
-- The members of a last-touch cohort (empty unless p_last): reports join them on mk.
CREATE OR REPLACE MACRO rs_last_touch(p_last, p_mapk, p_lo, p_hi, l1, l2, l3, l4, l5) AS TABLE
SELECT mk FROM rs_member
WHERE p_last AND mapk = p_mapk AND ce >= p_lo AND ce < p_hi
  AND (l1 IS NULL OR w1 = l1) AND (l2 IS NULL OR w2 = l2) AND (l3 IS NULL OR w3 = l3)
  AND (l4 IS NULL OR w4 = l4) AND (l5 IS NULL OR w5 = l5);
-- The members in a report's cohort, from the parameters report_cohort_keys.sql resolves.
CREATE OR REPLACE MACRO rs_member_of(p_last, p_mapk, p_lo, p_hi, c1, c2, c3, c4, c5,
                                     l1, l2, l3, l4, l5) AS TABLE
SELECT * FROM rs_member
WHERE rs_pass(mapk, ce, u1, u2, u3, u4, u5, p_mapk, p_lo, p_hi, c1, c2, c3, c4, c5)
  AND (l1 IS NULL OR w1 = l1) AND (l2 IS NULL OR w2 = l2) AND (l3 IS NULL OR w3 = l3)
  AND (l4 IS NULL OR w4 = l4) AND (l5 IS NULL OR w5 = l5) AND p_last IS NOT NULL;
-- A summary table's rows in a report's cohort, from the parameters report_cohort_keys.sql resolves:
-- first touch filters the carried attributes; last touch joins the few members it selects.
CREATE OR REPLACE MACRO rs_visit_of(p_last, p_mapk, p_lo, p_hi, c1, c2, c3, c4, c5,
                                 l1, l2, l3, l4, l5) AS TABLE
SELECT * FROM rs_visit
WHERE NOT p_last AND rs_pass(mapk, ce, u1, u2, u3, u4, u5, p_mapk, p_lo, p_hi, c1, c2, c3, c4, c5)
UNION ALL
SELECT r.* FROM rs_visit r
JOIN rs_last_touch(p_last, p_mapk, p_lo, p_hi, l1, l2, l3, l4, l5) USING (mk)
WHERE r.mapk = p_mapk;
CREATE OR REPLACE MACRO rs_link_of(p_last, p_mapk, p_lo, p_hi, c1, c2, c3, c4, c5,
                                 l1, l2, l3, l4, l5) AS TABLE
SELECT * FROM rs_link
WHERE NOT p_last AND rs_pass(mapk, ce, u1, u2, u3, u4, u5, p_mapk, p_lo, p_hi, c1, c2, c3, c4, c5)
UNION ALL
SELECT r.* FROM rs_link r
JOIN rs_last_touch(p_last, p_mapk, p_lo, p_hi, l1, l2, l3, l4, l5) USING (mk)
WHERE r.mapk = p_mapk;
CREATE OR REPLACE MACRO rs_goal_of(p_last, p_mapk, p_lo, p_hi, c1, c2, c3, c4, c5,
                                 l1, l2, l3, l4, l5) AS TABLE
SELECT * FROM rs_goal
WHERE NOT p_last AND rs_pass(mapk, ce, u1, u2, u3, u4, u5, p_mapk, p_lo, p_hi, c1, c2, c3, c4, c5)
UNION ALL
SELECT r.* FROM rs_goal r
JOIN rs_last_touch(p_last, p_mapk, p_lo, p_hi, l1, l2, l3, l4, l5) USING (mk)
WHERE r.mapk = p_mapk;
CREATE OR REPLACE MACRO rs_email_of(p_last, p_mapk, p_lo, p_hi, c1, c2, c3, c4, c5,
                                 l1, l2, l3, l4, l5) AS TABLE
SELECT * FROM rs_email
WHERE NOT p_last AND rs_pass(mapk, ce, u1, u2, u3, u4, u5, p_mapk, p_lo, p_hi, c1, c2, c3, c4, c5)
UNION ALL
SELECT r.* FROM rs_email r
JOIN rs_last_touch(p_last, p_mapk, p_lo, p_hi, l1, l2, l3, l4, l5) USING (mk)
WHERE r.mapk = p_mapk;
-- The cohort of a report: members who entered the map within [p_from, p_to) and whose first-touch
-- (or last-touch) UTM fields equal the given values; a NULL value does not filter, '(none)'
-- matches a missing value. Drill-downs and ROI start from it; it selects the same members as
-- rs_pass and rs_last_touch do.
CREATE OR REPLACE MACRO rs_cohort(
    p_map_id, p_from, p_to, p_last_touch, p_source, p_medium, p_campaign, p_content, p_term
) AS TABLE
SELECT mk, contact_id, net_spend
FROM rs_member
WHERE map_id = p_map_id
  AND cohort_at IS NOT NULL
  AND (p_from::TIMESTAMPTZ IS NULL OR cohort_at >= p_from::TIMESTAMPTZ)
  AND (p_to::TIMESTAMPTZ IS NULL OR cohort_at < p_to::TIMESTAMPTZ)
  AND (p_source::VARCHAR IS NULL OR coalesce(nullif(
        CASE WHEN p_last_touch THEN last_utm_source ELSE first_utm_source END, ''), '(none)')
        = p_source::VARCHAR)
  AND (p_medium::VARCHAR IS NULL OR coalesce(nullif(
        CASE WHEN p_last_touch THEN last_utm_medium ELSE first_utm_medium END, ''), '(none)')
        = p_medium::VARCHAR)
  AND (p_campaign::VARCHAR IS NULL OR coalesce(nullif(
        CASE WHEN p_last_touch THEN last_utm_campaign ELSE first_utm_campaign END, ''), '(none)')
        = p_campaign::VARCHAR)
  AND (p_content::VARCHAR IS NULL OR coalesce(nullif(
        CASE WHEN p_last_touch THEN last_utm_content ELSE first_utm_content END, ''), '(none)')
        = p_content::VARCHAR)
  AND (p_term::VARCHAR IS NULL OR coalesce(nullif(
        CASE WHEN p_last_touch THEN last_utm_term ELSE first_utm_term END, ''), '(none)')
        = p_term::VARCHAR);
-- The q/10 quantile of an ascending list of integers, times ten: linear interpolation between the
-- values at ranks floor((n-1)·q/10) and the one after, as numpy's default, in exact integers.
CREATE OR REPLACE MACRO rs_quantile_x10(sorted, q) AS
    10 * sorted[(len(sorted) - 1) * q // 10 + 1]
    + (sorted[least((len(sorted) - 1) * q // 10 + 2, len(sorted))]
       - sorted[(len(sorted) - 1) * q // 10 + 1]) * ((len(sorted) - 1) * q % 10);
