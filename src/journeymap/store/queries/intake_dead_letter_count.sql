-- How many events the applier could not apply.
SELECT count(*) FROM dead_letters
