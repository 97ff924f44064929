-- Conversions of an import file's values to the types of their columns. Each column is first
-- cleaned to text (jm_text: surrounding blanks trimmed, empty is no value) unless the file holds it
-- in a type the column takes as it is (a timestamp for a time, say); then converted; then checked:
-- the `_bad` macros name why a value does not convert, NULL when it does or is empty: 'format',
-- 'years', 'large', 'long', 'nul', 'control', or 'jtype:<class>' for a JSON value of another type
-- than the column's first value. Limits come in as arguments.
CREATE OR REPLACE TEMP MACRO jm_blank(c) AS c IN (9, 10, 11, 12, 13, 32, 160);
CREATE OR REPLACE TEMP MACRO jm_text(s) AS CASE
    WHEN s = '' THEN NULL
    WHEN jm_blank(ascii(s)) OR jm_blank(ascii(right(s, 1))) THEN nullif(
        trim(s, ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(160)), ''
    )
    ELSE s
END;
-- text (already cleaned): no NUL, bounded length
CREATE OR REPLACE TEMP MACRO jm_text_bad(t, max_len) AS CASE
    WHEN contains(t, chr(0)) THEN 'nul'
    WHEN length(t) > max_len THEN 'long'
END;
-- ids and names: no control characters, bounded length
CREATE OR REPLACE TEMP MACRO jm_id_bad(t, max_len) AS CASE
    WHEN regexp_matches(t, '[\x00-\x1f\x7f]') THEN 'control'
    WHEN length(t) > max_len THEN 'long'
END;
-- time: ISO 8601 text (without an offset: UTC), or a timestamp or date column
CREATE OR REPLACE TEMP MACRO jm_time(t) AS CASE
    WHEN regexp_full_match(
        t,
        '\d{4}-\d\d-\d\d([T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|z|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)?)?'
    ) THEN try_cast(t AS TIMESTAMPTZ)
END;
CREATE OR REPLACE TEMP MACRO jm_time_native(x) AS x::TIMESTAMPTZ;
-- (the years compared as instants: year() of a TIMESTAMPTZ goes through the calendar, slowly)
CREATE OR REPLACE TEMP MACRO jm_time_bad(t, v, lo, hi) AS CASE
    WHEN t IS NOT NULL AND v IS NULL THEN 'format'
    WHEN v < make_timestamptz(lo, 1, 1, 0, 0, 0, 'UTC')
         OR v >= make_timestamptz(hi + 1, 1, 1, 0, 0, 0, 'UTC') THEN 'years'
END;
-- date: ISO 8601 text, or a date or timestamp column
CREATE OR REPLACE TEMP MACRO jm_date(t) AS CASE
    WHEN regexp_full_match(t, '\d{4}-\d\d-\d\d') THEN try_cast(t AS DATE)
END;
CREATE OR REPLACE TEMP MACRO jm_date_native(x) AS x::TIMESTAMPTZ::DATE;
CREATE OR REPLACE TEMP MACRO jm_date_bad(t, v, lo, hi) AS CASE
    WHEN t IS NOT NULL AND v IS NULL THEN 'format'
    WHEN year(v) NOT BETWEEN lo AND hi THEN 'years'
END;
-- number: decimal text (a point, never a comma), or a numeric column; finite and bounded
CREATE OR REPLACE TEMP MACRO jm_number(t) AS CASE
    WHEN regexp_full_match(t, '[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?') THEN try_cast(t AS DOUBLE)
END;
CREATE OR REPLACE TEMP MACRO jm_number_native(x) AS x::DOUBLE;
CREATE OR REPLACE TEMP MACRO jm_number_bad(t, v, max_abs) AS CASE
    WHEN t IS NOT NULL AND (v IS NULL OR NOT isfinite(v)) THEN 'format'
    WHEN abs(v) >= max_abs THEN 'large'
END;
-- tags: text with tags separated by ';', or a list; each trimmed, empty ones dropped
CREATE OR REPLACE TEMP MACRO jm_tag_list(l) AS
    list_filter(list_transform(l, lambda t: jm_text(t)), lambda t: t IS NOT NULL);
CREATE OR REPLACE TEMP MACRO jm_tags(t) AS jm_tag_list(string_split(t, ';'));
CREATE OR REPLACE TEMP MACRO jm_tags_native(x) AS jm_tag_list(x::VARCHAR[]);
CREATE OR REPLACE TEMP MACRO jm_tags_bad(tags, max_len) AS CASE
    WHEN list_bool_or(list_transform(tags, lambda t: regexp_matches(t, '[\x00-\x1f\x7f]')))
    THEN 'control'
    WHEN list_max(list_transform(tags, lambda t: length(t))) > max_len THEN 'long'
END;
-- JSON Lines values: a string, number or true/false stands for its text; a column keeps the
-- JSON type of its first value
CREATE OR REPLACE TEMP MACRO jm_json_class(j) AS CASE json_type(j)
    WHEN 'VARCHAR' THEN 'text' WHEN 'BOOLEAN' THEN 'true/false' WHEN 'ARRAY' THEN 'a list'
    WHEN 'OBJECT' THEN 'object' WHEN 'BIGINT' THEN 'a number' WHEN 'UBIGINT' THEN 'a number'
    WHEN 'DOUBLE' THEN 'a number'
END;
CREATE OR REPLACE TEMP MACRO jm_json_text(j) AS CASE
    WHEN json_type(j) = 'VARCHAR' THEN j ->> '$'
    WHEN json_type(j) IN ('BIGINT', 'UBIGINT', 'DOUBLE', 'BOOLEAN') THEN j::VARCHAR
END;
CREATE OR REPLACE TEMP MACRO jm_json_bad(j, first) AS CASE
    WHEN jm_json_class(j) <> first THEN 'jtype:' || first
    WHEN json_type(j) IN ('ARRAY', 'OBJECT') THEN 'format'
END;
CREATE OR REPLACE TEMP MACRO jm_tags_json(j) AS CASE
    WHEN json_type(j) = 'ARRAY' THEN jm_tag_list(list_transform(
        json_extract(j, '$[*]'), lambda t: CASE WHEN json_type(t) IN ('ARRAY', 'OBJECT')
                                                THEN NULL ELSE jm_json_text(t) END))
    ELSE jm_tags(jm_text(jm_json_text(j)))
END;
CREATE OR REPLACE TEMP MACRO jm_tags_json_bad(j, first) AS CASE
    WHEN jm_json_class(j) <> first THEN 'jtype:' || first
    WHEN json_type(j) = 'OBJECT' THEN 'format'
    WHEN json_type(j) = 'ARRAY' AND list_bool_or(list_transform(
        json_extract(j, '$[*]'), lambda t: json_type(t) IN ('ARRAY', 'OBJECT'))) THEN 'format'
END;
-- a column of a type no conversion takes (binary data, structures, ...)
CREATE OR REPLACE TEMP MACRO jm_other_bad(x) AS CASE WHEN x IS NOT NULL THEN 'format' END;
-- The rules every staged row keeps first (importer/rules.py COMMON), as the name of the first
-- one it breaks.
CREATE OR REPLACE TEMP MACRO jm_common_rule(row_problem, bad_column, missing_column) AS CASE
    WHEN row_problem IS NOT NULL THEN 'row_problem'
    WHEN bad_column IS NOT NULL THEN 'bad_value'
    WHEN missing_column IS NOT NULL THEN 'missing_value'
END;
