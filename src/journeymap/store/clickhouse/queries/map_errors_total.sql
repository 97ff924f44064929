-- How many map errors were recorded, and when the latest was (NULL: none yet).
SELECT count() AS errors, maxOrNull(occurred_at) AS latest FROM map_errors
