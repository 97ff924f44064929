-- The engine's flush number (none before the first flush).
SELECT v FROM engine_marks FINAL WHERE k = 'flush'
