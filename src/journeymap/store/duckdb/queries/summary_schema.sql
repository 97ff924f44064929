-- Report summaries (journeymap.reports): per member (a contact on a map) and element, goal,
-- connector and email, kept current inside every append by store/duckdb/summaries.py and always
-- rebuildable from the facts (`journeymap rebuild`). Reports join them on the integer member key.
CREATE SEQUENCE IF NOT EXISTS rs_member_key;
CREATE TABLE IF NOT EXISTS rs_member (
    mk BIGINT NOT NULL,               -- member key: one per contact and map
    contact_id VARCHAR NOT NULL,
    map_id VARCHAR NOT NULL,
    cohort_at TIMESTAMPTZ,            -- first entry into the map; NULL until the contact enters
    first_utm_source VARCHAR, first_utm_medium VARCHAR, first_utm_campaign VARCHAR,
    first_utm_content VARCHAR, first_utm_term VARCHAR,
    last_utm_source VARCHAR, last_utm_medium VARCHAR, last_utm_campaign VARCHAR,
    last_utm_content VARCHAR, last_utm_term VARCHAR,
    net_spend DECIMAL(18, 2) NOT NULL -- every purchase of the contact, refunds netted
);
CREATE TABLE IF NOT EXISTS rs_visit (
    mk BIGINT NOT NULL,
    map_id VARCHAR NOT NULL,
    element_id VARCHAR NOT NULL,
    first_seq BIGINT,                 -- first arrival
    first_at TIMESTAMPTZ,
    last_arrival_seq BIGINT,
    last_departure_seq BIGINT,
    visits BIGINT NOT NULL,           -- arrivals, repeats included
    connector_departures BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS rs_link (
    mk BIGINT NOT NULL,
    map_id VARCHAR NOT NULL,
    connector_id VARCHAR NOT NULL,
    moves BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS rs_goal (
    mk BIGINT NOT NULL,
    map_id VARCHAR NOT NULL,
    goal_id VARCHAR NOT NULL,
    first_seq BIGINT NOT NULL,        -- first achievement
    first_at TIMESTAMPTZ NOT NULL,
    first_from VARCHAR,               -- where the first achievement happened; NULL: entered at it
    last_seq BIGINT NOT NULL,
    achievements BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS rs_email (
    mk BIGINT NOT NULL,
    map_id VARCHAR NOT NULL,
    element_id VARCHAR NOT NULL,
    sent BIGINT NOT NULL,
    opened BIGINT NOT NULL,
    clicked BIGINT NOT NULL,
    unsubscribed BIGINT NOT NULL
);
-- The cohort of a report: members who entered the map within [p_from, p_to) and whose first-touch
-- (or last-touch) UTM fields equal the given values; a NULL value does not filter, '(none)'
-- matches a missing value.
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
