-- journeymap fact tables (DuckDB). Column order matches journeymap.store.facts.TABLES.
CREATE TABLE IF NOT EXISTS maps (
    map_id VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    name VARCHAR,
    body VARCHAR NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    archived BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (map_id, version)
);
-- A map as far as the builder got (engine/drafts.py): any JSON object, problems and all; never
-- run, never reported on. One per map, replaced by each save; body NULL once discarded.
CREATE TABLE IF NOT EXISTS map_drafts (
    map_id VARCHAR PRIMARY KEY,
    body VARCHAR,
    based_on INTEGER,                 -- the version live when it was saved; NULL for a new map
    saved_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS contacts (
    contact_id VARCHAR PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL,
    first_utm_source VARCHAR, first_utm_medium VARCHAR, first_utm_campaign VARCHAR,
    first_utm_content VARCHAR, first_utm_term VARCHAR,
    last_utm_source VARCHAR, last_utm_medium VARCHAR, last_utm_campaign VARCHAR,
    last_utm_content VARCHAR, last_utm_term VARCHAR,
    tags VARCHAR[],
    fields VARCHAR
);
CREATE TABLE IF NOT EXISTS entries (
    entry_id BIGINT NOT NULL,
    map_id VARCHAR NOT NULL,
    contact_id VARCHAR NOT NULL,
    element_id VARCHAR NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS transitions (
    seq BIGINT NOT NULL,
    contact_id VARCHAR NOT NULL,
    map_id VARCHAR NOT NULL,
    entry_id BIGINT NOT NULL,
    from_element VARCHAR,
    to_element VARCHAR,
    connector_id VARCHAR,
    kind VARCHAR NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS achievements (
    seq BIGINT NOT NULL,
    contact_id VARCHAR NOT NULL,
    map_id VARCHAR NOT NULL,
    goal_id VARCHAR NOT NULL,
    entry_id BIGINT NOT NULL,
    from_element VARCHAR,
    occurred_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS waits (
    contact_id VARCHAR NOT NULL,
    map_id VARCHAR NOT NULL,
    element_id VARCHAR NOT NULL,
    entry_id BIGINT NOT NULL,
    arrived_seq BIGINT NOT NULL,
    due_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS email_events (
    event VARCHAR NOT NULL,
    map_id VARCHAR,
    element_id VARCHAR,
    contact_id VARCHAR NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS purchases (
    contact_id VARCHAR NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    amount DECIMAL(18, 2) NOT NULL,
    product VARCHAR
);
CREATE TABLE IF NOT EXISTS page_visits (
    visitor_id VARCHAR NOT NULL,
    contact_id VARCHAR,
    url VARCHAR NOT NULL,
    utm_source VARCHAR, utm_medium VARCHAR, utm_campaign VARCHAR,
    utm_content VARCHAR, utm_term VARCHAR,
    occurred_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS marketing_costs (
    utm_field VARCHAR NOT NULL,
    utm_value VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    amount DECIMAL(18, 2) NOT NULL
);
-- What one map could not do for a contact (engine/map_errors.py): listed for operators.
CREATE TABLE IF NOT EXISTS map_errors (
    map_id VARCHAR NOT NULL,
    element_id VARCHAR,
    contact_id VARCHAR NOT NULL,
    event VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS ingested_events (
    event_id VARCHAR PRIMARY KEY,
    occurred_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS imports (
    sha256 VARCHAR PRIMARY KEY,
    file_name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    rows BIGINT NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL
);

-- ---- HTTP API and channels (api/, channels/) ----------------------------------------------------
CREATE TABLE IF NOT EXISTS tokens (
    token_hash VARCHAR PRIMARY KEY,
    scope VARCHAR NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ,
    name VARCHAR
);
ALTER TABLE tokens ADD COLUMN IF NOT EXISTS expires_at TIMESTAMPTZ;  -- stores made before expiry
ALTER TABLE tokens ADD COLUMN IF NOT EXISTS name VARCHAR;
CREATE TABLE IF NOT EXISTS token_revocations (
    token_hash VARCHAR NOT NULL,
    revoked_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS tracking_keys (
    secret VARCHAR NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS public_urls (
    url VARCHAR NOT NULL,
    set_at TIMESTAMPTZ NOT NULL
);
-- The channels (channels/): every delivery an action queued (one row, written in the same
-- transaction as the action's facts), what each channel delivers, and every attempt.
CREATE TABLE IF NOT EXISTS deliveries (
    delivery_id VARCHAR NOT NULL,
    channel VARCHAR NOT NULL,         -- 'email' (send-email and notify) or 'webhook'
    map_id VARCHAR NOT NULL,
    element_id VARCHAR NOT NULL,
    contact_id VARCHAR NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS email_outbox (
    message_id VARCHAR PRIMARY KEY,   -- the delivery id
    map_id VARCHAR NOT NULL,
    element_id VARCHAR NOT NULL,
    contact_id VARCHAR NOT NULL,
    to_address VARCHAR,
    subject VARCHAR NOT NULL,
    html VARCHAR NOT NULL,
    text VARCHAR NOT NULL,
    links VARCHAR NOT NULL,
    unsubscribe_url VARCHAR NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    kind VARCHAR NOT NULL DEFAULT 'message'  -- 'message' (to the contact) or 'notify' (about it)
);
ALTER TABLE email_outbox ADD COLUMN IF NOT EXISTS kind VARCHAR DEFAULT 'message';
CREATE TABLE IF NOT EXISTS webhook_outbox (
    delivery_id VARCHAR PRIMARY KEY,
    url VARCHAR NOT NULL,
    body VARCHAR NOT NULL             -- the exact bytes (UTF-8) posted on every attempt
);
CREATE TABLE IF NOT EXISTS delivery_attempts (
    delivery_id VARCHAR NOT NULL,
    channel VARCHAR NOT NULL,
    map_id VARCHAR NOT NULL,
    element_id VARCHAR NOT NULL,
    contact_id VARCHAR NOT NULL,
    attempt INTEGER NOT NULL,         -- 1, 2, ... per delivery (a retry by hand takes a number too)
    status VARCHAR NOT NULL,          -- what happened (channels/outcomes.py)
    outcome VARCHAR NOT NULL,         -- the delivery afterwards: delivered, pending or failed
    error VARCHAR,
    occurred_at TIMESTAMPTZ NOT NULL,
    next_attempt_at TIMESTAMPTZ       -- when pending: the earliest next attempt
);
CREATE TABLE IF NOT EXISTS webhook_keys (
    secret VARCHAR NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
-- ---- end of HTTP API and channels ---------------------------------------------------------------

-- The engine's flush number, written with every flush; the engine's state file beside the store
-- is current only when it holds the same number (otherwise it is rebuilt from the facts).
CREATE TABLE IF NOT EXISTS engine_marks (
    k VARCHAR PRIMARY KEY,
    v BIGINT NOT NULL
);

-- Contacts whose facts a history import wrote around the engine since its state file last took
-- them in: the engine reads back only these (then empties the table in the same transaction as
-- its next flush number), not every contact.
CREATE TABLE IF NOT EXISTS engine_stale (contact_id VARCHAR NOT NULL);

-- ---- live intake (intake/) ---------------------------------------------------------------------
-- The intake log position whose effects the store holds, per log file; written in the same
-- transaction as those effects, so a restarted applier resumes exactly after it.
CREATE TABLE IF NOT EXISTS intake_positions (
    log_id VARCHAR PRIMARY KEY,
    pos BIGINT NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL
);
-- Events accepted by intake that the engine refused when applying them, with the reason.
CREATE TABLE IF NOT EXISTS dead_letters (
    pos BIGINT NOT NULL,
    event_index INTEGER NOT NULL,
    kind VARCHAR NOT NULL,
    contact_id VARCHAR,
    event VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL
);

-- ---- history import staging -----------------------------------------------------------------------
-- History import stages its rows in temporary tables (import_clear.sql); stores from before that
-- kept them here.
DROP TABLE IF EXISTS import_elements;
DROP TABLE IF EXISTS import_connectors;
DROP TABLE IF EXISTS import_visits;
DROP TABLE IF EXISTS import_visit_facts;
DROP TABLE IF EXISTS import_contacts;
DROP TABLE IF EXISTS import_purchases;
DROP TABLE IF EXISTS import_email_events;
DROP TABLE IF EXISTS import_page_visits;
DROP TABLE IF EXISTS import_marketing_costs;
