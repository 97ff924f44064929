-- Every row of marketing_costs, in a stable order (to read back what an import wrote).
SELECT * FROM marketing_costs ORDER BY period_start, utm_field, utm_value, amount
