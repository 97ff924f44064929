-- One slice of the staged visits, in their order, times as epoch microseconds.
SELECT rowid AS pos, row_no, contact_id, map_id, ek, at_goal, from_ek,
       epoch_us(entered_at) AS entered, epoch_us(left_at) AS left_us,
       epoch_us(achieved_at) AS achieved, stood_element, stood_ek, stood_entry
FROM import_visits
WHERE rowid >= $lo AND rowid < $hi
