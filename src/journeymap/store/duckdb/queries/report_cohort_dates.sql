-- A report's first-entry bounds as report_cohort_keys.sql gives them (lo, hi), for the periods of
-- a trend, whose other keys hold for every period.
SELECT coalesce(epoch_us($from::TIMESTAMPTZ), -9223372036854775807)::BIGINT AS lo,
       coalesce(epoch_us($to::TIMESTAMPTZ), 9223372036854775807)::BIGINT AS hi
