-- The history import's working space, made empty before and after every import file: temporary
-- tables, so nothing of it reaches the store file. import_maps, import_elements and
-- import_connectors describe the stored maps (element and connector codes are unique across
-- maps); import_chains, import_arrivals, import_departures and import_goals collect what the
-- summaries need of imported visits, per chain (a contact's visits on a map).
DROP VIEW IF EXISTS import_typed;
DROP VIEW IF EXISTS import_named;
DROP TABLE IF EXISTS import_raw;
DROP TABLE IF EXISTS import_visits;
DROP TABLE IF EXISTS import_last;
DROP TABLE IF EXISTS import_contacts;
DROP TABLE IF EXISTS import_purchases;
DROP TABLE IF EXISTS import_email_events;
DROP TABLE IF EXISTS import_page_visits;
DROP TABLE IF EXISTS import_marketing_costs;
CREATE OR REPLACE TEMP TABLE import_maps (map_id VARCHAR, version INTEGER);
CREATE OR REPLACE TEMP TABLE import_elements (
    map_id VARCHAR, element_id VARCHAR, kind VARCHAR, ek BIGINT
);
CREATE OR REPLACE TEMP TABLE import_connectors (
    map_id VARCHAR, connector_id VARCHAR, ck BIGINT, from_ek BIGINT, to_ek BIGINT
);
CREATE OR REPLACE TEMP TABLE import_chains (
    chain BIGINT, contact_id VARCHAR, map_id VARCHAR, cohort_at TIMESTAMPTZ, stood BOOLEAN
);
CREATE OR REPLACE TEMP TABLE import_arrivals (chain BIGINT, ek BIGINT, seq BIGINT, occurred_at TIMESTAMPTZ);
CREATE OR REPLACE TEMP TABLE import_departures (chain BIGINT, ek BIGINT, seq BIGINT, ck BIGINT);
CREATE OR REPLACE TEMP TABLE import_goals (
    chain BIGINT, ek BIGINT, seq BIGINT, occurred_at TIMESTAMPTZ, from_ek BIGINT
);
CREATE OR REPLACE TEMP TABLE import_last (
    contact_id VARCHAR, map_id VARCHAR, element_id VARCHAR, entry_id BIGINT, last_at TIMESTAMPTZ
);
