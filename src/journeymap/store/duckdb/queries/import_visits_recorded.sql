-- Drop staged visits the store already holds: a transition of the contact on the map to that
-- element at entered_at. Only contacts with history on the map (import_last) can have one.
DELETE FROM import_visits WHERE row_no IN (
    SELECT v.row_no
    FROM import_visits v
    JOIN import_elements e ON e.ek = v.ek
    SEMI JOIN (
        SELECT contact_id, map_id, to_element, occurred_at FROM transitions
        WHERE contact_id IN (SELECT contact_id FROM import_last)
    ) t
        ON t.contact_id = v.contact_id AND t.map_id = v.map_id
       AND t.to_element = e.element_id AND t.occurred_at = v.entered_at
)
