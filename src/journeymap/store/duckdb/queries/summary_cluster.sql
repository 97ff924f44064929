-- After a rebuild: rewrite each per-member summary table in (map, cohort attributes, member,
-- item) order, so reports filtered on first touch, and a block's lookups of its members' rows,
-- skip the row groups that cannot hold them.
CREATE OR REPLACE TEMP TABLE _jm_sorted AS
SELECT * FROM rs_visit ORDER BY mapk, u1, u2, u3, u4, u5, ce, mk, ek;
DELETE FROM rs_visit;
INSERT INTO rs_visit
SELECT * FROM _jm_sorted ORDER BY mapk, u1, u2, u3, u4, u5, ce, mk, ek;
CREATE OR REPLACE TEMP TABLE _jm_sorted AS
SELECT * FROM rs_link ORDER BY mapk, u1, u2, u3, u4, u5, ce, mk, ck;
DELETE FROM rs_link;
INSERT INTO rs_link
SELECT * FROM _jm_sorted ORDER BY mapk, u1, u2, u3, u4, u5, ce, mk, ck;
CREATE OR REPLACE TEMP TABLE _jm_sorted AS
SELECT * FROM rs_goal ORDER BY mapk, u1, u2, u3, u4, u5, ce, mk, gk;
DELETE FROM rs_goal;
INSERT INTO rs_goal
SELECT * FROM _jm_sorted ORDER BY mapk, u1, u2, u3, u4, u5, ce, mk, gk;
CREATE OR REPLACE TEMP TABLE _jm_sorted AS
SELECT * FROM rs_email ORDER BY mapk, u1, u2, u3, u4, u5, ce, mk, ek;
DELETE FROM rs_email;
INSERT INTO rs_email
SELECT * FROM _jm_sorted ORDER BY mapk, u1, u2, u3, u4, u5, ce, mk, ek;
CREATE OR REPLACE TEMP TABLE _jm_sorted AS
SELECT * FROM rs_delivery ORDER BY mapk, u1, u2, u3, u4, u5, ce, mk, ek;
DELETE FROM rs_delivery;
INSERT INTO rs_delivery
SELECT * FROM _jm_sorted ORDER BY mapk, u1, u2, u3, u4, u5, ce, mk, ek;
DROP TABLE _jm_sorted;
