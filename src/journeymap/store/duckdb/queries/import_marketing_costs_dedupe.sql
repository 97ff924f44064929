-- Skip staged costs the store already holds: per natural key (field, value, period, amount) the
-- first n copies in the file are dropped, n being the store's count.
DELETE FROM import_marketing_costs WHERE row_no IN (
    SELECT s.row_no
    FROM (
        SELECT row_no, utm_field, utm_value, period_start, period_end,
               amount::DECIMAL(18, 2) AS amount,
               row_number() OVER (
                   PARTITION BY utm_field, utm_value, period_start, period_end,
                                amount::DECIMAL(18, 2)
                   ORDER BY row_no
               ) AS copy
        FROM import_marketing_costs
    ) s
    JOIN (
        SELECT utm_field, utm_value, period_start, period_end, amount, count(*) AS n
        FROM marketing_costs GROUP BY ALL
    ) p
        ON s.utm_field = p.utm_field AND s.utm_value = p.utm_value
       AND s.period_start = p.period_start AND s.period_end = p.period_end
       AND s.amount = p.amount
    WHERE s.copy <= p.n
)
