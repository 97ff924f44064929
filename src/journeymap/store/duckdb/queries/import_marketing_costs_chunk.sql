SELECT utm_field, utm_value, period_start, period_end, amount::DECIMAL(18, 2) AS amount
FROM import_marketing_costs WHERE row_no BETWEEN $lo AND $hi ORDER BY row_no
