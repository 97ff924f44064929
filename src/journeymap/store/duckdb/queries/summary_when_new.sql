-- How many (contact, map) pairs of the block have no member yet (summary_members.sql).
SELECT count(*) FROM _jm_mk WHERE mk IS NULL
