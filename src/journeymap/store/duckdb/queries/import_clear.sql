-- The history import's working space, made empty before and after every import file: temporary
-- tables, so nothing of it reaches the store file. import_maps, import_elements and
-- import_connectors describe the stored maps (element and connector codes are unique across
-- maps); import_chains, import_visit_sums, import_link_sums and import_goals collect what the
-- summaries need of imported visits, per chain (a contact's visits on a map; importer/touches.py
-- sums the visits and moves).
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
CREATE OR REPLACE TEMP TABLE import_visit_sums (
    chain BIGINT, ek BIGINT, first_seq BIGINT, first_at TIMESTAMPTZ, last_arrival_seq BIGINT,
    visits BIGINT, last_departure_seq BIGINT, connector_departures BIGINT
);
CREATE OR REPLACE TEMP TABLE import_link_sums (chain BIGINT, ck BIGINT, moves BIGINT);
CREATE OR REPLACE TEMP TABLE import_goals (
    chain BIGINT, ek BIGINT, seq BIGINT, occurred_at TIMESTAMPTZ, from_ek BIGINT
);
CREATE OR REPLACE TEMP TABLE import_last (
    contact_id VARCHAR, map_id VARCHAR, element_id VARCHAR, entry_id BIGINT, last_at TIMESTAMPTZ
);
