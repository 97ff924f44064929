-- The addresses a contacts file gives in field $field before row $before, each distinct one once
-- at its first row, in row order.
SELECT min(row_no) AS row_no, address
FROM (SELECT row_no, fields ->> $field AS address FROM import_contacts)
WHERE address IS NOT NULL AND address <> '' AND row_no < $before
GROUP BY address
ORDER BY row_no
