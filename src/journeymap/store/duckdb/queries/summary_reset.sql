-- Empty every summary table before a rebuild from the facts; member keys start again at 1.
DELETE FROM rs_member;
DELETE FROM rs_visit;
DELETE FROM rs_link;
DELETE FROM rs_goal;
DELETE FROM rs_email;
DROP SEQUENCE IF EXISTS rs_member_key;
CREATE SEQUENCE rs_member_key;
