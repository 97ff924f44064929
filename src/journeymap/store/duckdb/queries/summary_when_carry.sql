-- How many members' cohort attributes changed (summary_contacts_apply.sql).
SELECT count(*) FROM _jm_carry
