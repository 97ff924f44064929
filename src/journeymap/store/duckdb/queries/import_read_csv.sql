-- A CSV file into the raw staging table, every value as text, named c0..cN by position
-- (the columns and aliases filled in). Strict RFC 4180: a quoted value may span lines,
-- but a quote left open, text after a closing quote or a row with another number of values than
-- the header is an error; blank lines are skipped; a UTF-8 byte order mark is skipped.
CREATE OR REPLACE TEMP TABLE import_raw AS
SELECT *
FROM read_csv(
    $path, header = true, auto_detect = false, columns = {{{columns}}},
    delim = ',', quote = '"', escape = '"', strict_mode = true, null_padding = false,
    encoding = 'utf-8', max_line_size = 2097152
) AS t({aliases})
