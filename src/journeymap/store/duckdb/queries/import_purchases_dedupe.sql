-- Skip staged purchases the store already holds: per natural key (contact, time, amount, product)
-- the first n copies in the file are dropped, n being how many copies the store has.
DELETE FROM import_purchases WHERE row_no IN (
    SELECT s.row_no
    FROM (
        SELECT row_no, contact_id, occurred_at, amount::DECIMAL(18, 2) AS amount, product,
               row_number() OVER (
                   PARTITION BY contact_id, occurred_at, amount::DECIMAL(18, 2), product
                   ORDER BY row_no
               ) AS copy
        FROM import_purchases
    ) s
    JOIN (
        SELECT contact_id, occurred_at, amount, product, count(*) AS n
        FROM purchases
        WHERE contact_id IN (SELECT contact_id FROM import_purchases)
        GROUP BY ALL
    ) p
        ON s.contact_id = p.contact_id AND s.occurred_at = p.occurred_at
       AND s.amount = p.amount AND s.product IS NOT DISTINCT FROM p.product
    WHERE s.copy <= p.n
)
