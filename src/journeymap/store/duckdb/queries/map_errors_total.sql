-- How many map errors were recorded, and when the latest was.
SELECT count(*) AS errors, max(occurred_at) AS latest FROM map_errors
