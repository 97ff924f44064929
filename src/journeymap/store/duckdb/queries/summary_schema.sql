-- Report summaries (journeymap.reports): per member (a contact on a map) and element, goal,
-- connector, email and delivery, kept current inside every append by store/duckdb/summaries.py
-- and always rebuildable from the facts (`journeymap rebuild`). Maps, elements and connectors are named by
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
CREATE TABLE IF NOT EXISTS rs_delivery (
    mapk INTEGER NOT NULL, ek INTEGER NOT NULL, mk BIGINT NOT NULL,
    ce BIGINT, u1 INTEGER NOT NULL, u2 INTEGER NOT NULL, u3 INTEGER NOT NULL,
    u4 INTEGER NOT NULL, u5 INTEGER NOT NULL,
    queued BIGINT NOT NULL,           -- deliveries the element's action queued
    delivered BIGINT NOT NULL,        -- ... that were delivered (an SMTP server or receiver took them)
    failed BIGINT NOT NULL,           -- ... that failed for good (retried by hand: no longer)
    last_failed_at TIMESTAMPTZ,       -- the latest failure of a delivery still failed
    last_error VARCHAR
);
-- Not a report summary: the deliveries not settled yet, for the channels' workers. Kept current
-- with the summaries from the deliveries and their attempts, and rebuilt with them.
CREATE TABLE IF NOT EXISTS delivery_queue (
    delivery_id VARCHAR NOT NULL,
    channel VARCHAR NOT NULL,
    map_id VARCHAR NOT NULL,
    element_id VARCHAR NOT NULL,
    contact_id VARCHAR NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,  -- when the action queued it
    due_at TIMESTAMPTZ,               -- the earliest next attempt; NULL: at once
    last_attempt INTEGER NOT NULL,    -- the number of its latest attempt row (0: none yet)
    tries INTEGER NOT NULL,           -- attempts since it was queued or retried by hand
    first_try_at TIMESTAMPTZ,         -- the first of them
    last_tried_at TIMESTAMPTZ,        -- the latest of them
    last_error VARCHAR                -- its error
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
CREATE OR REPLACE MACRO rs_delivery_of(p_last, p_mapk, p_lo, p_hi, c1, c2, c3, c4, c5,
                                 l1, l2, l3, l4, l5) AS TABLE
SELECT * FROM rs_delivery
WHERE NOT p_last AND rs_pass(mapk, ce, u1, u2, u3, u4, u5, p_mapk, p_lo, p_hi, c1, c2, c3, c4, c5)
UNION ALL
SELECT r.* FROM rs_delivery r
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
-- The ordered funnel over a report's cohort (p_names: the step elements, at most 1,024;
-- p_steps: the step of each, 1 to 10; p_goals: the goals among them). A step occurs at every
-- arrival at one of its triggers and every achievement of one of its goals. A member reaches step
-- k when it has an occurrence of every step 1..k in order, each after the one matched for the step
-- before, matching the earliest: a row 'reached' per member and step reached, with the element
-- and sequence number of the match. It takes step k > 1 directly when its first occurrence of
-- step k comes before any of step k-1: a row 'direct', with the element and sequence number of
-- that first occurrence. "After" compares sequence numbers. An occurrence travels as one integer,
-- seq * 1024 + the element's position in p_names, so min() finds the first with its element and
-- later occurrences compare as their seqs do. Matching first occurrences needs only the
-- summaries; members whose match is a repeated occurrence are walked through in the facts. Only
-- members with a step after the first are pivoted. (Each column of the chain names the one
-- before once, so the plan grows linearly with the steps.)
CREATE OR REPLACE MACRO rs_funnel_of(p_last, p_mapk, p_lo, p_hi, c1, c2, c3, c4, c5,
                                     l1, l2, l3, l4, l5, p_names, p_steps, p_goals) AS TABLE
WITH steps AS (
    SELECT s.k, s.pos, e.k AS ek, s.name, list_contains(p_goals, s.name) AS is_goal
    FROM (
        SELECT unnest(p_names) AS name, unnest(p_steps) AS k,
               generate_subscripts(p_names, 1) - 1 AS pos
    ) s
    JOIN rs_key e ON e.mapk = p_mapk AND e.kind = 'element' AND e.name = s.name
),
occ AS MATERIALIZED (
    -- per member and step element: its first occurrence (o) and the seq of its last (l)
    SELECT v.mk, s.k, v.first_seq * 1024 + s.pos AS o, v.last_arrival_seq AS l
    FROM rs_visit_of(p_last, p_mapk, p_lo, p_hi, c1, c2, c3, c4, c5, l1, l2, l3, l4, l5) v
    JOIN steps s ON s.ek = v.ek AND NOT s.is_goal
    WHERE v.first_seq IS NOT NULL
    UNION ALL
    SELECT g.mk, s.k, g.first_seq * 1024 + s.pos, g.last_seq
    FROM rs_goal_of(p_last, p_mapk, p_lo, p_hi, c1, c2, c3, c4, c5, l1, l2, l3, l4, l5) g
    JOIN steps s ON s.ek = g.gk AND s.is_goal
),
later AS (SELECT DISTINCT mk FROM occ WHERE k > 1),
starts AS (
    -- members with no step after the first reach step 1 at their first occurrence of it
    SELECT mk, min(o) AS o
    FROM occ
    WHERE k = 1 AND mk NOT IN (SELECT mk FROM later)
    GROUP BY mk
),
p AS (
    -- per member, each step's first occurrence
    SELECT mk,
           min(o) FILTER (WHERE k = 1) AS o1,
           min(o) FILTER (WHERE k = 2) AS o2,
           min(o) FILTER (WHERE k = 3) AS o3,
           min(o) FILTER (WHERE k = 4) AS o4,
           min(o) FILTER (WHERE k = 5) AS o5,
           min(o) FILTER (WHERE k = 6) AS o6,
           min(o) FILTER (WHERE k = 7) AS o7,
           min(o) FILTER (WHERE k = 8) AS o8,
           min(o) FILTER (WHERE k = 9) AS o9,
           min(o) FILTER (WHERE k = 10) AS o10
    FROM occ
    WHERE mk IN (SELECT mk FROM later)
    GROUP BY mk
),
firsts AS (
    SELECT mk, o1, o2, o3, o4, o5, o6, o7, o8, o9, o10,
           o1 // 1024 AS first1,
           o2 // 1024 AS first2,
           o3 // 1024 AS first3,
           o4 // 1024 AS first4,
           o5 // 1024 AS first5,
           o6 // 1024 AS first6,
           o7 // 1024 AS first7,
           o8 // 1024 AS first8,
           o9 // 1024 AS first9,
           o10 // 1024 AS first10
    FROM p
),
chain AS MATERIALIZED (
    -- m_k: the match of step k among first occurrences, up to the step where that chain breaks
    -- (cut: its number; prior: the match before it); d_k: step k taken directly
    SELECT mk, o1, o2, o3, o4, o5, o6, o7, o8, o9, o10,
           first1 AS m1,
           CASE WHEN first2 > m1 THEN first2 END AS m2,
           CASE WHEN first3 > m2 THEN first3 END AS m3,
           CASE WHEN first4 > m3 THEN first4 END AS m4,
           CASE WHEN first5 > m4 THEN first5 END AS m5,
           CASE WHEN first6 > m5 THEN first6 END AS m6,
           CASE WHEN first7 > m6 THEN first7 END AS m7,
           CASE WHEN first8 > m7 THEN first8 END AS m8,
           CASE WHEN first9 > m8 THEN first9 END AS m9,
           CASE WHEN first10 > m9 THEN first10 END AS m10,
           CASE WHEN m1 IS NOT NULL THEN CASE WHEN m2 IS NULL THEN 2 WHEN m3 IS NULL THEN 3 WHEN m4 IS NULL THEN 4 WHEN m5 IS NULL THEN 5 WHEN m6 IS NULL THEN 6 WHEN m7 IS NULL THEN 7 WHEN m8 IS NULL THEN 8 WHEN m9 IS NULL THEN 9 WHEN m10 IS NULL THEN 10 END END AS cut,
           CASE WHEN m1 IS NOT NULL THEN CASE WHEN m2 IS NULL THEN m1 WHEN m3 IS NULL THEN m2 WHEN m4 IS NULL THEN m3 WHEN m5 IS NULL THEN m4 WHEN m6 IS NULL THEN m5 WHEN m7 IS NULL THEN m6 WHEN m8 IS NULL THEN m7 WHEN m9 IS NULL THEN m8 WHEN m10 IS NULL THEN m9 END END AS prior,
           first2 IS NOT NULL AND NOT coalesce(first1 < first2, false) AS d2,
           first3 IS NOT NULL AND NOT coalesce(first2 < first3, false) AS d3,
           first4 IS NOT NULL AND NOT coalesce(first3 < first4, false) AS d4,
           first5 IS NOT NULL AND NOT coalesce(first4 < first5, false) AS d5,
           first6 IS NOT NULL AND NOT coalesce(first5 < first6, false) AS d6,
           first7 IS NOT NULL AND NOT coalesce(first6 < first7, false) AS d7,
           first8 IS NOT NULL AND NOT coalesce(first7 < first8, false) AS d8,
           first9 IS NOT NULL AND NOT coalesce(first8 < first9, false) AS d9,
           first10 IS NOT NULL AND NOT coalesce(first9 < first10, false) AS d10
    FROM firsts
),
repeats AS (
    -- members with a repeat of the step where their chain broke, after the match before it:
    -- that repeat is their match, found in the facts
    SELECT DISTINCT c.mk
    FROM chain c JOIN occ o ON o.mk = c.mk AND o.k = c.cut AND o.l > c.prior
),
taken AS (
    -- the first occurrences that are a match (outside the repeats) or a direct step
    SELECT mk, k, o, m AND mk NOT IN (SELECT mk FROM repeats) AS reached, direct
    FROM (
        SELECT mk, unnest(range(1, 11)) AS k, unnest([o1, o2, o3, o4, o5, o6, o7, o8, o9, o10]) AS o,
               unnest([m1 IS NOT NULL, m2 IS NOT NULL, m3 IS NOT NULL, m4 IS NOT NULL, m5 IS NOT NULL, m6 IS NOT NULL, m7 IS NOT NULL, m8 IS NOT NULL, m9 IS NOT NULL, m10 IS NOT NULL]) AS m,
               unnest([false, d2, d3, d4, d5, d6, d7, d8, d9, d10]) AS direct
        FROM chain
    )
    WHERE m OR direct
),
raw AS (
    -- every occurrence of every step of the repeats' members
    SELECT r.mk, s.k, s.pos, t.seq
    FROM repeats r
    JOIN rs_member m USING (mk)
    JOIN transitions t ON t.contact_id = m.contact_id AND t.map_id = m.map_id
    JOIN steps s ON s.name = t.to_element AND NOT s.is_goal
    UNION ALL
    SELECT r.mk, s.k, s.pos, a.seq
    FROM repeats r
    JOIN rs_member m USING (mk)
    JOIN achievements a ON a.contact_id = m.contact_id AND a.map_id = m.map_id
    JOIN steps s ON s.name = a.goal_id AND s.is_goal
),
lists AS (
    SELECT mk,
           list(seq * 1024 + pos ORDER BY seq) FILTER (WHERE k = 1) AS r1,
           list(seq * 1024 + pos ORDER BY seq) FILTER (WHERE k = 2) AS r2,
           list(seq * 1024 + pos ORDER BY seq) FILTER (WHERE k = 3) AS r3,
           list(seq * 1024 + pos ORDER BY seq) FILTER (WHERE k = 4) AS r4,
           list(seq * 1024 + pos ORDER BY seq) FILTER (WHERE k = 5) AS r5,
           list(seq * 1024 + pos ORDER BY seq) FILTER (WHERE k = 6) AS r6,
           list(seq * 1024 + pos ORDER BY seq) FILTER (WHERE k = 7) AS r7,
           list(seq * 1024 + pos ORDER BY seq) FILTER (WHERE k = 8) AS r8,
           list(seq * 1024 + pos ORDER BY seq) FILTER (WHERE k = 9) AS r9,
           list(seq * 1024 + pos ORDER BY seq) FILTER (WHERE k = 10) AS r10
    FROM raw
    GROUP BY mk
),
walked AS (
    SELECT mk,
           r1[1] AS x1,
           list_filter(r2, lambda r: r > x1)[1] AS x2,
           list_filter(r3, lambda r: r > x2)[1] AS x3,
           list_filter(r4, lambda r: r > x3)[1] AS x4,
           list_filter(r5, lambda r: r > x4)[1] AS x5,
           list_filter(r6, lambda r: r > x5)[1] AS x6,
           list_filter(r7, lambda r: r > x6)[1] AS x7,
           list_filter(r8, lambda r: r > x7)[1] AS x8,
           list_filter(r9, lambda r: r > x8)[1] AS x9,
           list_filter(r10, lambda r: r > x9)[1] AS x10
    FROM lists
),
matches AS (
    SELECT mk, 1 AS k, o, 'reached' AS took FROM starts
    UNION ALL
    SELECT mk, k, o, 'reached' FROM taken WHERE reached
    UNION ALL
    SELECT mk, k, o, 'direct' FROM taken WHERE direct
    UNION ALL
    SELECT mk, k, o, 'reached'
    FROM (SELECT mk, unnest(range(1, 11)) AS k, unnest([x1, x2, x3, x4, x5, x6, x7, x8, x9, x10]) AS o FROM walked)
    WHERE o IS NOT NULL
)
SELECT mk, k, p_names[o % 1024 + 1] AS element_id, o // 1024 AS seq, took FROM matches;
