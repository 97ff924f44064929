-- After a rebuild: rewrite each per-member summary table in (map, member, item) order, so a
-- block's lookups by member key skip the row groups that cannot hold its members.
CREATE OR REPLACE TEMP TABLE _jm_sorted AS SELECT * FROM rs_visit ORDER BY mapk, mk, ek;
DELETE FROM rs_visit;
INSERT INTO rs_visit SELECT * FROM _jm_sorted ORDER BY mapk, mk, ek;
CREATE OR REPLACE TEMP TABLE _jm_sorted AS SELECT * FROM rs_link ORDER BY mapk, mk, ck;
DELETE FROM rs_link;
INSERT INTO rs_link SELECT * FROM _jm_sorted ORDER BY mapk, mk, ck;
CREATE OR REPLACE TEMP TABLE _jm_sorted AS SELECT * FROM rs_goal ORDER BY mapk, mk, gk;
DELETE FROM rs_goal;
INSERT INTO rs_goal SELECT * FROM _jm_sorted ORDER BY mapk, mk, gk;
CREATE OR REPLACE TEMP TABLE _jm_sorted AS SELECT * FROM rs_email ORDER BY mapk, mk, ek;
DELETE FROM rs_email;
INSERT INTO rs_email SELECT * FROM _jm_sorted ORDER BY mapk, mk, ek;
DROP TABLE _jm_sorted;
