-- The typed rows of a visits file, staged in the order they are shaped in (contact, map,
-- entered_at, file order), with their elements as codes, left_at from duration_s when only that
-- is given, where the contact stands on the map in the store (stood_*: NULL when nowhere), and
-- the first rule each row breaks (importer/rules.py words it; NULL: none). $map: the `--map`
-- default; $time_end: the first moment (epoch seconds) after the last year a time may fall in.
CREATE OR REPLACE TEMP TABLE import_visits AS
SELECT t.row_no, t.contact_id, t.map AS map_id, e.ek, e.kind = 'goal' AS at_goal,
       f.ek AS from_ek, t.entered_at,
       coalesce(
           t.left_at,
           CASE WHEN t.duration_s BETWEEN 0 AND 1e11
                THEN t.entered_at + to_microseconds(round(t.duration_s * 1e6)::BIGINT) END
       ) AS left_at,
       t.achieved_at,
       l.element_id AS stood_element, s.ek AS stood_ek,
       CASE WHEN l.element_id IS NOT NULL THEN l.entry_id END AS stood_entry,
       coalesce(
           jm_common_rule(t.row_problem, t.bad_column, t.missing_column),
           CASE
               WHEN t.map IS NULL THEN 'map_missing'
               WHEN m.map_id IS NULL THEN 'map_unknown'
               WHEN e.element_id IS NULL THEN 'element_unknown'
               WHEN t.left_at < t.entered_at THEN 'left_before_entered'
               WHEN t.from_element_id IS NOT NULL AND f.element_id IS NULL
                   THEN 'from_element_unknown'
               WHEN t.achieved_at IS NOT NULL AND e.kind <> 'goal' THEN 'achieved_off_goal'
               WHEN t.achieved_at < t.entered_at THEN 'achieved_before_entered'
               WHEN t.achieved_at > t.left_at THEN 'achieved_after_left'
               WHEN t.duration_s < 0 THEN 'duration_negative'
               WHEN abs((epoch_us(t.left_at) - epoch_us(t.entered_at)) / 1e6 - t.duration_s) > 1.0
                   THEN 'duration_disagrees'
               WHEN t.left_at IS NULL AND epoch_us(t.entered_at) / 1e6 + t.duration_s >= $time_end
                   THEN 'duration_too_long'
           END
       ) AS rule
FROM (SELECT *, coalesce(map_id, $map) AS map FROM import_typed) t
LEFT JOIN import_maps m ON m.map_id = t.map
LEFT JOIN import_elements e ON e.map_id = t.map AND e.element_id = t.element_id
LEFT JOIN import_elements f ON f.map_id = t.map AND f.element_id = t.from_element_id
LEFT JOIN import_last l ON l.contact_id = t.contact_id AND l.map_id = t.map
LEFT JOIN import_elements s ON s.map_id = l.map_id AND s.element_id = l.element_id
ORDER BY t.contact_id, t.map, t.entered_at, t.row_no
