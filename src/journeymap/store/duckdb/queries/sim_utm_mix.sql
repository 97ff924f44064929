-- Contacts per first-touch source and medium ('(none)' for a missing value).
SELECT coalesce(first_utm_source, '(none)') AS source,
       coalesce(first_utm_medium, '(none)') AS medium,
       count(*) AS contacts
FROM contacts GROUP BY ALL ORDER BY contacts DESC, source, medium
