-- How many imported chains belong to members the summaries already hold.
SELECT count(*) FROM import_members WHERE known
