-- Every recorded marketing cost, in field, value and period order.
SELECT utm_field, utm_value, period_start, period_end, amount
FROM marketing_costs
ORDER BY utm_field, utm_value, period_start
