-- The row ids the staged visits span (after drops there may be gaps).
SELECT min(rowid) AS lo, max(rowid) AS hi, count(*) AS n FROM import_visits
