-- The database settings an import adjusts (and puts back afterwards).
SELECT current_setting('memory_limit') AS memory_limit,
       current_setting('enable_progress_bar') AS progress_bar
