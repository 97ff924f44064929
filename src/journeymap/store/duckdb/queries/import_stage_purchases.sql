-- The typed rows of a purchases file, staged, with the first rule each breaks (importer/rules.py;
-- NULL: none), and the contacts they name with when.
CREATE OR REPLACE TEMP TABLE import_purchases AS
SELECT row_no, contact_id, occurred_at, amount, product,
       jm_common_rule(row_problem, bad_column, missing_column) AS rule
FROM import_typed;
CREATE OR REPLACE TEMP VIEW import_named AS
SELECT contact_id, occurred_at AS seen_at FROM import_purchases;
