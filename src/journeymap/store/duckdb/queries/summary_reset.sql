-- Empty every summary table before a rebuild from the facts; member and name keys start again
-- at 1 (UTM codes stay: they only name values).
DELETE FROM rs_member;
DELETE FROM rs_visit;
DELETE FROM rs_link;
DELETE FROM rs_goal;
DELETE FROM rs_email;
DELETE FROM rs_delivery;
DELETE FROM rs_stay;
DELETE FROM delivery_queue;
DELETE FROM rs_key;
DROP SEQUENCE IF EXISTS rs_key_seq;
CREATE SEQUENCE rs_key_seq;
DELETE FROM rs_page;
DELETE FROM rs_page_url;
DELETE FROM rs_visitor;
DROP SEQUENCE IF EXISTS rs_page_url_seq;
CREATE SEQUENCE rs_page_url_seq;
DROP SEQUENCE IF EXISTS rs_visitor_seq;
CREATE SEQUENCE rs_visitor_seq;
