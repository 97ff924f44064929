-- Drop staged visits already recorded (a transition of the contact on the map to that element at
-- entered_at) and repeats within the file (same contact, map, element and entered_at).
DELETE FROM import_visits WHERE row_no IN (
    SELECT row_no FROM import_visits
    QUALIFY row_number() OVER (
        PARTITION BY contact_id, map_id, element_id, entered_at ORDER BY row_no
    ) > 1
    UNION ALL
    SELECT v.row_no
    FROM import_visits v
    SEMI JOIN transitions t
        ON t.contact_id = v.contact_id AND t.map_id = v.map_id
       AND t.to_element = v.element_id AND t.occurred_at = v.entered_at
)
