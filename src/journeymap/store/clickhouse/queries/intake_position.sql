-- The intake log position applied to this store, for one log file.
SELECT pos FROM intake_positions FINAL WHERE log_id = {log_id:String}
