-- The page-visit summary (store/duckdb/summaries.py keeps it inside every append of page visits
-- and rebuilds it from them): each distinct URL and visitor id gets an integer key, and every page
-- visit a row of integers (URL key, time as epoch microseconds, visitor key, its own UTM codes in
-- rs_utm), so a page-visit trigger's figures match the URL pattern against the distinct URLs
-- only and count distinct visitors over integers.
CREATE SEQUENCE IF NOT EXISTS rs_page_url_seq;
CREATE SEQUENCE IF NOT EXISTS rs_visitor_seq;
CREATE TABLE IF NOT EXISTS rs_page_url (
    uk INTEGER NOT NULL,
    url VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS rs_visitor (
    vk BIGINT NOT NULL,
    visitor_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS rs_page (
    uk INTEGER NOT NULL,
    vt BIGINT NOT NULL,               -- occurred_at as epoch microseconds
    vk BIGINT NOT NULL,
    u1 INTEGER NOT NULL, u2 INTEGER NOT NULL, u3 INTEGER NOT NULL,  -- the visit's own UTM codes
    u4 INTEGER NOT NULL, u5 INTEGER NOT NULL,
    visits BIGINT NOT NULL            -- page visits with exactly these values
);
