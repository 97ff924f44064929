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
SETTINGS join_use_nulls = 1
