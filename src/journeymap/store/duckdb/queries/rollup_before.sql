-- Before a fold: the shares of rs_flow that the rows of the members of the contacts $ids
-- hold now, negated (rollup_after.sql adds what they hold after it).
CREATE OR REPLACE TEMP TABLE _jm_flow AS SELECT * FROM rs_flow_rows(-1, $ids::VARCHAR[]);
