-- Empty every summary table before a rebuild from the facts; member and name keys start again
-- at 1 (UTM codes stay: they only name values).
DELETE FROM rs_member;
DELETE FROM rs_visit;
DELETE FROM rs_link;
DELETE FROM rs_goal;
DELETE FROM rs_email;
DELETE FROM rs_delivery;
DELETE FROM delivery_queue;
DELETE FROM rs_key;
DROP SEQUENCE IF EXISTS rs_key_seq;
CREATE SEQUENCE rs_key_seq;
