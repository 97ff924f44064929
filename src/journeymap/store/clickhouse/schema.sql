-- journeymap fact tables (ClickHouse). Column order matches journeymap.store.facts.TABLES.
-- Facts are MergeTree tables partitioned by the month of the fact and ordered for the report
-- scans (map, then contact, then sequence); tables whose rows replace an earlier row with the
-- same key (facts.UPSERT_KEYS) are ReplacingMergeTree tables read with FINAL. Tables read in
-- insertion order keep each row's block number.
CREATE TABLE IF NOT EXISTS maps (
    map_id String,
    version Int32,
    name Nullable(String),
    body String,
    created_at DateTime64(6, 'UTC'),
    archived Bool DEFAULT false
) ENGINE = ReplacingMergeTree ORDER BY (map_id, version);
CREATE TABLE IF NOT EXISTS map_drafts (
    map_id String,
    body Nullable(String),
    based_on Nullable(Int32),
    saved_at DateTime64(6, 'UTC')
) ENGINE = ReplacingMergeTree ORDER BY map_id;
CREATE TABLE IF NOT EXISTS contacts (
    contact_id String,
    created_at DateTime64(6, 'UTC'),
    first_utm_source Nullable(String), first_utm_medium Nullable(String),
    first_utm_campaign Nullable(String), first_utm_content Nullable(String),
    first_utm_term Nullable(String),
    last_utm_source Nullable(String), last_utm_medium Nullable(String),
    last_utm_campaign Nullable(String), last_utm_content Nullable(String),
    last_utm_term Nullable(String),
    tags Array(String),
    fields Nullable(String)
) ENGINE = ReplacingMergeTree ORDER BY contact_id;
CREATE TABLE IF NOT EXISTS entries (
    entry_id Int64,
    map_id String,
    contact_id String,
    element_id String,
    occurred_at DateTime64(6, 'UTC')
) ENGINE = MergeTree PARTITION BY toYYYYMM(occurred_at) ORDER BY (map_id, contact_id, entry_id);
CREATE TABLE IF NOT EXISTS transitions (
    seq Int64,
    contact_id String,
    map_id String,
    entry_id Int64,
    from_element Nullable(String),
    to_element Nullable(String),
    connector_id Nullable(String),
    kind LowCardinality(String),
    occurred_at DateTime64(6, 'UTC')
) ENGINE = MergeTree PARTITION BY toYYYYMM(occurred_at) ORDER BY (map_id, contact_id, seq);
CREATE TABLE IF NOT EXISTS achievements (
    seq Int64,
    contact_id String,
    map_id String,
    goal_id String,
    entry_id Int64,
    from_element Nullable(String),
    occurred_at DateTime64(6, 'UTC')
) ENGINE = MergeTree PARTITION BY toYYYYMM(occurred_at) ORDER BY (map_id, goal_id, contact_id, seq);
CREATE TABLE IF NOT EXISTS waits (
    contact_id String,
    map_id String,
    element_id String,
    entry_id Int64,
    arrived_seq Int64,
    due_at DateTime64(6, 'UTC')
) ENGINE = MergeTree ORDER BY (arrived_seq);
CREATE TABLE IF NOT EXISTS email_events (
    event LowCardinality(String),
    map_id Nullable(String),
    element_id Nullable(String),
    contact_id String,
    occurred_at DateTime64(6, 'UTC')
) ENGINE = MergeTree PARTITION BY toYYYYMM(occurred_at)
ORDER BY (ifNull(map_id, ''), ifNull(element_id, ''), contact_id, occurred_at);
CREATE TABLE IF NOT EXISTS purchases (
    contact_id String,
    occurred_at DateTime64(6, 'UTC'),
    amount Decimal(18, 2),
    product Nullable(String)
) ENGINE = MergeTree PARTITION BY toYYYYMM(occurred_at) ORDER BY (contact_id, occurred_at);
CREATE TABLE IF NOT EXISTS page_visits (
    visitor_id String,
    contact_id Nullable(String),
    url String,
    utm_source Nullable(String), utm_medium Nullable(String), utm_campaign Nullable(String),
    utm_content Nullable(String), utm_term Nullable(String),
    occurred_at DateTime64(6, 'UTC')
) ENGINE = MergeTree PARTITION BY toYYYYMM(occurred_at) ORDER BY (occurred_at, visitor_id);
CREATE TABLE IF NOT EXISTS marketing_costs (
    utm_field String,
    utm_value String,
    period_start Date32,
    period_end Date32,
    amount Decimal(18, 2)
) ENGINE = MergeTree ORDER BY (utm_field, utm_value, period_start)
SETTINGS enable_block_number_column = 1, enable_block_offset_column = 1;
CREATE TABLE IF NOT EXISTS map_errors (
    map_id String,
    element_id Nullable(String),
    contact_id String,
    event String,
    code String,
    reason String,
    occurred_at DateTime64(6, 'UTC')
) ENGINE = MergeTree PARTITION BY toYYYYMM(occurred_at) ORDER BY (map_id, occurred_at)
SETTINGS enable_block_number_column = 1, enable_block_offset_column = 1;
CREATE TABLE IF NOT EXISTS ingested_events (
    event_id String,
    occurred_at DateTime64(6, 'UTC')
) ENGINE = MergeTree ORDER BY event_id
SETTINGS enable_block_number_column = 1, enable_block_offset_column = 1;
CREATE TABLE IF NOT EXISTS imports (
    sha256 String,
    file_name String,
    kind String,
    rows Int64,
    occurred_at DateTime64(6, 'UTC')
) ENGINE = MergeTree ORDER BY sha256;

-- ---- HTTP API and channels (api/, channels/) ----------------------------------------------------
CREATE TABLE IF NOT EXISTS tokens (
    token_hash String,
    scope String,
    created_at DateTime64(6, 'UTC'),
    expires_at Nullable(DateTime64(6, 'UTC')),
    name Nullable(String)
) ENGINE = MergeTree ORDER BY token_hash;
CREATE TABLE IF NOT EXISTS token_revocations (
    token_hash String,
    revoked_at DateTime64(6, 'UTC')
) ENGINE = MergeTree ORDER BY token_hash;
CREATE TABLE IF NOT EXISTS tracking_keys (
    secret String,
    created_at DateTime64(6, 'UTC')
) ENGINE = MergeTree ORDER BY created_at;
CREATE TABLE IF NOT EXISTS public_urls (
    url String,
    set_at DateTime64(6, 'UTC')
) ENGINE = MergeTree ORDER BY set_at
SETTINGS enable_block_number_column = 1, enable_block_offset_column = 1;
CREATE TABLE IF NOT EXISTS deliveries (
    delivery_id String,
    channel LowCardinality(String),
    map_id String,
    element_id String,
    contact_id String,
    created_at DateTime64(6, 'UTC')
) ENGINE = MergeTree PARTITION BY toYYYYMM(created_at) ORDER BY (map_id, element_id, contact_id);
CREATE TABLE IF NOT EXISTS email_outbox (
    message_id String,
    map_id String,
    element_id String,
    contact_id String,
    to_address Nullable(String),
    subject String,
    html String,
    text String,
    links String,
    unsubscribe_url String,
    created_at DateTime64(6, 'UTC'),
    kind String DEFAULT 'message'
) ENGINE = MergeTree ORDER BY message_id;
CREATE TABLE IF NOT EXISTS webhook_outbox (
    delivery_id String,
    url String,
    body String
) ENGINE = MergeTree ORDER BY delivery_id;
CREATE TABLE IF NOT EXISTS delivery_attempts (
    delivery_id String,
    channel LowCardinality(String),
    map_id String,
    element_id String,
    contact_id String,
    attempt Int32,
    status String,
    outcome String,
    error Nullable(String),
    occurred_at DateTime64(6, 'UTC'),
    next_attempt_at Nullable(DateTime64(6, 'UTC'))
) ENGINE = MergeTree PARTITION BY toYYYYMM(occurred_at) ORDER BY (delivery_id, attempt);
CREATE TABLE IF NOT EXISTS webhook_keys (
    secret String,
    created_at DateTime64(6, 'UTC')
) ENGINE = MergeTree ORDER BY created_at;

-- The engine's flush number, written with every flush; the engine's state file beside the store
-- is current only when it holds the same number (otherwise it is rebuilt from the facts).
CREATE TABLE IF NOT EXISTS engine_marks (
    k String,
    v Int64
) ENGINE = ReplacingMergeTree ORDER BY k;

-- ---- live intake (intake/) ---------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS intake_positions (
    log_id String,
    pos Int64,
    occurred_at DateTime64(6, 'UTC')
) ENGINE = ReplacingMergeTree ORDER BY log_id;
CREATE TABLE IF NOT EXISTS dead_letters (
    pos Int64,
    event_index Int32,
    kind String,
    contact_id Nullable(String),
    event String,
    reason String,
    occurred_at DateTime64(6, 'UTC')
) ENGINE = MergeTree ORDER BY (pos, event_index);

-- ---- reports (journeymap.reports) --------------------------------------------------------------
-- The q/10 quantile of a sorted array of whole numbers, times ten: interpolated linearly between
-- the values at ranks floor((n-1)q/10) and the one after (numpy's default), in exact integers.
CREATE OR REPLACE FUNCTION jm_quantile_x10 AS (sorted, q) ->
    10 * sorted[intDiv((length(sorted) - 1) * q, 10) + 1]
    + (sorted[least(intDiv((length(sorted) - 1) * q, 10) + 2, length(sorted))]
       - sorted[intDiv((length(sorted) - 1) * q, 10) + 1])
      * ((length(sorted) - 1) * q % 10);

-- The cohort of a report, as a parameterized view every report_* and drill_* query starts from:
-- contacts whose first entry into the map (their earliest 'enter' move) falls in [from, to)
-- (NULL: unbounded) and whose first-touch (or last-touch) UTM fields equal the values given; a
-- NULL value does not filter, '(none)' matches a missing or empty value (or no contact row).
CREATE OR REPLACE VIEW jm_cohort AS
SELECT e.contact_id AS contact_id, e.cohort_at AS cohort_at
FROM (
    SELECT contact_id, min(occurred_at) AS cohort_at
    FROM transitions
    WHERE map_id = {map_id:String} AND kind = 'enter'
    GROUP BY contact_id
) AS e
LEFT JOIN (
    SELECT contact_id,
           if({last_touch:Bool},
              [last_utm_source, last_utm_medium, last_utm_campaign, last_utm_content, last_utm_term],
              [first_utm_source, first_utm_medium, first_utm_campaign, first_utm_content,
               first_utm_term]) AS touch
    FROM contacts FINAL
) AS c ON c.contact_id = e.contact_id
WHERE ({from:Nullable(DateTime64(6, 'UTC'))} IS NULL
       OR e.cohort_at >= {from:Nullable(DateTime64(6, 'UTC'))})
  AND ({to:Nullable(DateTime64(6, 'UTC'))} IS NULL
       OR e.cohort_at < {to:Nullable(DateTime64(6, 'UTC'))})
  AND arrayAll((want, v) -> want IS NULL OR want = coalesce(nullIf(v, ''), '(none)'),
               [{utm_source:Nullable(String)}, {utm_medium:Nullable(String)},
                {utm_campaign:Nullable(String)}, {utm_content:Nullable(String)},
                {utm_term:Nullable(String)}],
               if(empty(c.touch), [NULL, NULL, NULL, NULL, NULL], c.touch))
SETTINGS join_use_nulls = 1;

-- The ordered funnel over a report's cohort (step_names: the step elements, at most 1,024;
-- step_numbers: the step of each, 1 to 10; goal_steps: the goals among them). A step occurs at
-- every arrival at one of its non-goal elements and every achievement of one of its goals. A
-- contact reaches step k when it has an occurrence of every step 1..k in order, each after the
-- one matched for the step before, matching the earliest: a row 'reached' per contact and step
-- reached, with the element and sequence number of the match. It takes step k > 1 directly when
-- its first occurrence of step k comes before any of step k-1: a row 'direct', with the element
-- and sequence number of that first occurrence. An occurrence travels as seq * 1024 + the
-- element's position in step_names.
CREATE OR REPLACE VIEW jm_funnel AS
WITH c AS (
    SELECT contact_id
    FROM jm_cohort(map_id = {map_id:String}, last_touch = {last_touch:Bool},
                   from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
                   utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
                   utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
                   utm_term = {utm_term:Nullable(String)})
),
steps AS (
    SELECT s.1 AS name, s.2 AS k, s.3 AS pos, has({goal_steps:Array(String)}, s.1) AS is_goal
    FROM (
        SELECT arrayJoin(arrayZip({step_names:Array(String)}, {step_numbers:Array(Int64)},
                                  range(length({step_names:Array(String)})))) AS s
    )
),
occ AS (
    SELECT contact_id, k, o
    FROM (
        SELECT t.contact_id AS contact_id, s.k AS k, t.seq * 1024 + s.pos AS o
        FROM transitions t JOIN steps s ON s.name = t.to_element
        WHERE t.map_id = {map_id:String} AND NOT s.is_goal
        UNION ALL
        SELECT a.contact_id, s.k, a.seq * 1024 + s.pos
        FROM achievements a JOIN steps s ON s.name = a.goal_id
        WHERE a.map_id = {map_id:String} AND s.is_goal
    )
    WHERE contact_id IN c
),
per AS (
    -- per contact, each step's occurrences in order (0 below: none)
    SELECT contact_id,
           arrayMap(j -> arraySort(arrayFilter(x -> x.1 = j, groupArray((k, o)))), range(1, 11))
               AS by_step
    FROM occ
    GROUP BY contact_id
),
walked AS (
    SELECT contact_id,
           arrayMap(r -> arrayMap(x -> x.2, r), by_step) AS r,
           arrayMap(x -> if(empty(x), 0, x[1]), r) AS first,
           arrayFold((acc, j) -> arrayPushBack(acc,
                        if(acc[j - 1] = 0, 0, arrayFirst(x -> x > acc[j - 1], r[j]))),
                     range(2, 11), [if(empty(r[1]), 0, r[1][1])]) AS matched
    FROM per
)
SELECT contact_id, {step_names:Array(String)}[o % 1024 + 1] AS element_id, intDiv(o, 1024) AS seq,
       k, took
FROM (
    SELECT contact_id, o, k, took
    FROM walked
    ARRAY JOIN
        arrayConcat(
            arrayMap(j -> (matched[j], j, 'reached'), range(1, 11)),
            arrayMap(j -> (if(first[j] != 0 AND NOT (first[j - 1] != 0
                                   AND intDiv(first[j - 1], 1024) < intDiv(first[j], 1024)),
                              first[j], 0), j, 'direct'), range(2, 11))
        ) AS x
    ARRAY JOIN [x.1] AS o, [x.2] AS k, [x.3] AS took
)
WHERE o != 0;

-- For a goal, per element E and cohort contact: the first arrival at E, and the first
-- achievement of the goal after it (by sequence), with the microseconds between them.
CREATE OR REPLACE VIEW jm_goal_paths AS
WITH c AS (
    SELECT contact_id
    FROM jm_cohort(map_id = {map_id:String}, last_touch = {last_touch:Bool},
              from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
              utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
              utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
              utm_term = {utm_term:Nullable(String)})
),
arrivals AS (
    SELECT contact_id, assumeNotNull(to_element) AS element_id, min(seq) AS arrived_seq,
           argMin(occurred_at, seq) AS arrived_at
    FROM transitions
    WHERE map_id = {map_id:String} AND to_element IS NOT NULL AND contact_id IN c
    GROUP BY contact_id, element_id
),
reached AS (
    -- joined to cohort contacts' arrivals only, so no cohort test of its own
    SELECT contact_id, seq, occurred_at
    FROM achievements
    WHERE map_id = {map_id:String} AND goal_id = {goal:String}
)
SELECT a.element_id AS element_id, a.contact_id AS contact_id,
       min(a.arrived_at) AS arrived_at, argMin(r.occurred_at, r.seq) AS achieved_at,
       toInt64(toUnixTimestamp64Micro(achieved_at)) - toInt64(toUnixTimestamp64Micro(arrived_at))
           AS us
FROM arrivals a JOIN reached r ON r.contact_id = a.contact_id
WHERE r.seq > a.arrived_seq
GROUP BY a.element_id, a.contact_id;

-- Per delivery an action queued for a cohort contact: when it was queued, the attempts that
-- delivered it and failed it for good (a retry by hand takes one off), and its latest attempt
-- (outcome, time, error; none yet: NULL).
CREATE OR REPLACE VIEW jm_deliveries AS
WITH c AS (
    SELECT contact_id
    FROM jm_cohort(map_id = {map_id:String}, last_touch = {last_touch:Bool},
              from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
              utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
              utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
              utm_term = {utm_term:Nullable(String)})
),
a AS (
    SELECT delivery_id,
           countIf(outcome = 'delivered') AS delivered,
           countIf(outcome = 'failed') - countIf(status = 'reopened') AS failed,
           argMax(outcome, attempt) AS last_outcome,
           argMax(occurred_at, attempt) AS last_at,
           argMax(tuple(error), attempt).1 AS last_error
    FROM delivery_attempts
    WHERE map_id = {map_id:String} AND contact_id IN c
    GROUP BY delivery_id
)
SELECT d.delivery_id AS delivery_id, d.element_id AS element_id, d.contact_id AS contact_id,
       d.created_at AS created_at, coalesce(a.delivered, 0) AS delivered,
       coalesce(a.failed, 0) AS failed, a.last_outcome AS last_outcome, a.last_at AS last_at,
       a.last_error AS last_error
FROM deliveries d LEFT JOIN a ON a.delivery_id = d.delivery_id
WHERE d.map_id = {map_id:String} AND d.contact_id IN c
SETTINGS join_use_nulls = 1;

-- For a goal, per element E and cohort contact who visited E: followed from the first arrival
-- at E to the first achievement of the goal after it ("after" by sequence, as jm_goal_paths),
-- or, without one, to its last exit from the map when it holds no position on the map, else to
-- {now} (censored: still on the way); seconds followed, and whether it converted.
CREATE OR REPLACE VIEW jm_followed AS
WITH c AS (
    SELECT contact_id
    FROM jm_cohort(map_id = {map_id:String}, last_touch = {last_touch:Bool},
              from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
              utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
              utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
              utm_term = {utm_term:Nullable(String)})
),
t AS (
    SELECT contact_id, to_element, from_element, seq, occurred_at,
           max(if(kind = 'exit', occurred_at, NULL)) OVER (PARTITION BY contact_id) AS exit_at
    FROM transitions
    WHERE map_id = {map_id:String} AND contact_id IN c
),
visits AS (
    -- per contact and element: its arrivals (how many, the first, the last) and last departure
    SELECT contact_id, assumeNotNull(m.1) AS element_id, countIf(m.2 = 0) AS arrivals,
           minIf(seq, m.2 = 0) AS first_seq, argMinIf(occurred_at, seq, m.2 = 0) AS first_at,
           maxIf(seq, m.2 = 0) AS last_seq, maxIfOrNull(seq, m.2 = 1) AS left_seq,
           any(exit_at) AS exit_at
    FROM t
    ARRAY JOIN arrayFilter(x -> x.1 IS NOT NULL, [(to_element, 0), (from_element, 1)]) AS m
    GROUP BY contact_id, element_id
),
placed AS (
    SELECT *, max(arrivals > 0 AND (left_seq IS NULL OR last_seq >= left_seq))
                  OVER (PARTITION BY contact_id) AS on_map
    FROM visits
),
reached AS (
    -- joined to cohort contacts' arrivals only, so no cohort test of its own
    SELECT contact_id, arraySort(groupArray((seq, occurred_at))) AS goals
    FROM achievements
    WHERE map_id = {map_id:String} AND goal_id = {goal:String}
    GROUP BY contact_id
),
achieved AS (
    SELECT a.element_id AS element_id, a.contact_id AS contact_id, a.first_at AS first_at,
           a.on_map AS on_map, a.exit_at AS exit_at,
           arrayFirstIndex(x -> x.1 > a.first_seq, r.goals) AS i,
           if(i > 0, r.goals[i].2, NULL) AS achieved_at
    FROM placed a LEFT JOIN reached r ON r.contact_id = a.contact_id
    WHERE a.arrivals > 0
    SETTINGS join_use_nulls = 1
)
SELECT element_id, contact_id, first_at, achieved_at IS NOT NULL AS converted,
       greatest(toInt64(toUnixTimestamp64Micro(coalesce(
                    achieved_at, if(on_map, NULL, exit_at), {now:DateTime64(6, 'UTC')})))
                - toInt64(toUnixTimestamp64Micro(first_at)), 0) / 1e6 AS seconds
FROM achieved;

-- Stays on elements (docs/metrics.md, "Bottlenecks"), over a report's cohort: a stay begins at an
-- arrival at an element where the contact holds no position and ends at the next move away from
-- it (any kind: flow, pull, goto, exit); an arrival where the contact already sits joins the stay
-- it is in, and a move from an element to itself ends one stay and begins the next. One row per
-- stay, and one per arrival within it along a connector (connector_id; NULL for the stay's own
-- row) for drop-off. conf_us is the stay's configured dwell: a wait's due time (waits) less the
-- arrival, else the element's configured microseconds from {ids} / {conf_us} (NULL: none set).
-- us: microseconds from the arrival to the stay's end, or to {now} while it lasts.
CREATE OR REPLACE VIEW jm_stays AS
WITH c AS (
    SELECT contact_id
    FROM jm_cohort(map_id = {map_id:String}, last_touch = {last_touch:Bool},
              from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
              utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
              utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
              utm_term = {utm_term:Nullable(String)})
),
ev AS (
    SELECT contact_id, assumeNotNull(m.1) AS element_id, seq, occurred_at AS moved_at,
           m.2 AS dep, kind, if(m.2 = 0, connector_id, NULL) AS connector_id
    FROM transitions
    ARRAY JOIN arrayFilter(x -> x.1 IS NOT NULL, [(to_element, 0), (from_element, 1)]) AS m
    WHERE map_id = {map_id:String} AND contact_id IN c
),
grouped AS (
    SELECT *, sum(dep) OVER (PARTITION BY contact_id, element_id ORDER BY seq, dep DESC
                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS grp
    FROM ev
),
stays AS (
    SELECT contact_id, element_id,
           minIf(seq, dep = 0) AS arrived_seq,
           minIf(moved_at, dep = 0) AS arrived_at,
           minIfOrNull(moved_at, dep = 1) AS left_at,
           minIfOrNull(kind, dep = 1) AS left_kind,
           groupArrayIf((connector_id, moved_at), dep = 0 AND connector_id IS NOT NULL) AS along
    FROM grouped
    GROUP BY contact_id, element_id, grp
    HAVING countIf(dep = 0) > 0
),
conf AS (
    SELECT x.1 AS element_id, x.2 AS conf_us
    FROM (SELECT arrayJoin(arrayZip({ids:Array(String)},
                                    {conf_us:Array(Nullable(Int64))})) AS x)
),
timed AS (
    SELECT s.contact_id AS contact_id, s.element_id AS element_id,
           s.arrived_at AS stay_at, s.left_at AS left_at, s.left_kind AS left_kind,
           s.along AS along,
           if(w.due_at IS NOT NULL,
              greatest(toInt64(toUnixTimestamp64Micro(w.due_at))
                       - toInt64(toUnixTimestamp64Micro(s.arrived_at)), 0),
              f.conf_us) AS conf_us
    FROM stays s
    LEFT JOIN (SELECT * FROM waits WHERE map_id = {map_id:String}) w
      ON w.contact_id = s.contact_id AND w.element_id = s.element_id
     AND w.arrived_seq = s.arrived_seq
    LEFT JOIN conf f ON f.element_id = s.element_id
    SETTINGS join_use_nulls = 1
)
SELECT contact_id, element_id, r.1 AS connector_id, r.2 AS arrived_at, left_at, left_kind,
       conf_us,
       toInt64(toUnixTimestamp64Micro(coalesce(left_at, {now:DateTime64(6, 'UTC')})))
       - toInt64(toUnixTimestamp64Micro(r.2)) AS us
FROM timed
ARRAY JOIN arrayConcat([(CAST(NULL, 'Nullable(String)'), stay_at)],
                       arrayMap(x -> (CAST(x.1, 'Nullable(String)'), x.2), along)) AS r;

-- Attribution of goal conversion point (docs/metrics.md): per achiever of {goal} in a report's
-- cohort, the elements its first achievement is credited to, each with a weight 2^-r: r = 0 for
-- every element but under time decay, where r is the whole half-lives ({half_us}) from the
-- element's latest arrival to the achievement, less the smallest such count of that achiever.
-- rs lists the achiever's r values (ascending), so its credit on an element is 2^-r / Σ 2^-rs.
-- The path is the achiever's moves on the entry of its first achievement, before it, to any
-- element but the goal: 'first' credits its first element, 'linear' and 'time-decay' every
-- element on it. 'last' credits the element it was on (the first achievement's from_element),
-- as does any model for an achiever with no path; element_id NULL: it entered the map at the goal.
CREATE OR REPLACE VIEW jm_credit AS
WITH g AS (
    SELECT contact_id, min(seq) AS first_seq, argMin(occurred_at, seq) AS first_at,
           argMin(tuple(from_element), seq).1 AS first_from, argMin(entry_id, seq) AS entry_id
    FROM achievements
    WHERE map_id = {map_id:String} AND goal_id = {goal:String}
      AND contact_id IN (
          SELECT contact_id
          FROM jm_cohort(map_id = {map_id:String}, last_touch = {last_touch:Bool},
                    from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
                    utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
                    utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
                    utm_term = {utm_term:Nullable(String)})
      )
    GROUP BY contact_id
),
moves AS (
    -- each achiever once (no move: NULL), with its moves on the entry before the achievement
    SELECT g.contact_id AS contact_id, g.first_at AS achieved_at, g.first_from AS first_from,
           if(t.seq < g.first_seq, t.element_id, NULL) AS element_id,
           assumeNotNull(t.seq) AS seq, assumeNotNull(t.occurred_at) AS occurred_at
    FROM g
    LEFT JOIN (
        SELECT contact_id, entry_id, to_element AS element_id, seq, occurred_at
        FROM transitions
        WHERE map_id = {map_id:String} AND {model:String} != 'last'
          AND to_element IS NOT NULL AND to_element != {goal:String}
    ) t ON t.contact_id = g.contact_id AND t.entry_id = g.entry_id
    SETTINGS join_use_nulls = 1
),
touch AS (
    SELECT contact_id, element_id, any(achieved_at) AS achieved_at, any(first_from) AS first_from,
           min(seq) AS first_seq, max(occurred_at) AS last_at
    FROM moves
    GROUP BY contact_id, element_id
),
paths AS (
    SELECT contact_id, any(achieved_at) AS achieved_at, any(first_from) AS first_from,
           groupArrayIf((assumeNotNull(element_id), first_seq, last_at), element_id IS NOT NULL)
               AS path
    FROM touch
    GROUP BY contact_id
),
picked AS (
    SELECT contact_id, achieved_at, first_from,
           arrayFilter(x -> {model:String} != 'first' OR x.2 = arrayMin(y -> y.2, path), path)
               AS credited,
           arrayMap(x -> if({model:String} = 'time-decay',
                            intDiv(greatest(toInt64(toUnixTimestamp64Micro(achieved_at))
                                            - toInt64(toUnixTimestamp64Micro(x.3)), 0),
                                   {half_us:Int64}),
                            0), credited) AS ks,
           arrayMap(k -> toInt64(k - arrayMin(ks)), ks) AS rel
    FROM paths
)
SELECT contact_id, e.1 AS element_id, achieved_at, e.2 AS r,
       if(empty(credited), [toInt64(0)], arraySort(rel)) AS rs
FROM picked
ARRAY JOIN if(empty(credited), [(first_from, toInt64(0))],
              arrayZip(arrayMap(x -> CAST(x.1, 'Nullable(String)'), credited), rel)) AS e;
