SELECT min(seq) AS lo, max(seq) AS hi, count(*) AS n FROM import_visit_facts
