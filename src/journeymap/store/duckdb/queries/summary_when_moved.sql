-- How many members a block of transitions moves to an earlier first entry
-- (summary_members_enter.sql).
SELECT count(*) FROM _jm_mk WHERE moved
