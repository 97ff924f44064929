-- The engine's flush number (NULL before the first flush).
SELECT v FROM engine_marks WHERE k = 'flush'
