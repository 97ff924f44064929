-- The import file's rows typed (import_macros.sql): the innermost select cleans each column's
-- text (or passes a value the column takes as it is), the next converts it, the next names why a
-- value does not convert, the outer one gives what the checks read: each column's value, the
-- first value that does not convert, the first required column left empty, and any problem with
-- the whole row. store/duckdb/staging.py fills the lists in from the kind's columns and the raw
-- types.
CREATE OR REPLACE TEMP VIEW import_typed AS
SELECT
    {final}
FROM (
    SELECT
        {outer}
    FROM (
        SELECT
            {middle}
        FROM (
            SELECT
                {inner}
            FROM import_raw
        )
    )
)
