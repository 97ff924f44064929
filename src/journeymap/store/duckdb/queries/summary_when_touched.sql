-- How many members' UTM changed (summary_contacts.sql).
SELECT count(*) FROM _jm_touched
