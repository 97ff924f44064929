-- After a rebuild: rewrite rs_stay in (map, cohort attributes, member, element, stay) order, as
-- summary_cluster.sql does for the other summaries.
CREATE OR REPLACE TEMP TABLE _jm_sorted AS
SELECT * FROM rs_stay ORDER BY mapk, u1, u2, u3, u4, u5, ce, mk, ek, arrived_seq, ck NULLS FIRST;
DELETE FROM rs_stay;
INSERT INTO rs_stay
SELECT * FROM _jm_sorted ORDER BY mapk, u1, u2, u3, u4, u5, ce, mk, ek, arrived_seq, ck NULLS FIRST;
DROP TABLE _jm_sorted;
