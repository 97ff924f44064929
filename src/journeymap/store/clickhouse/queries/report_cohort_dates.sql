-- A report's first-entry bounds as report_cohort_keys.sql gives them, for the periods of a
-- trend, whose other keys hold for every period: as they went in.
SELECT {from:Nullable(DateTime64(6, 'UTC'))} AS from, {to:Nullable(DateTime64(6, 'UTC'))} AS to
