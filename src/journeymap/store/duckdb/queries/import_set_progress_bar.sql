-- DuckDB's own progress bar would print over the importer's; it is off while importing.
SET enable_progress_bar = $on
